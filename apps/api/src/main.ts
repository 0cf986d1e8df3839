import 'reflect-metadata';
import { ConfigError, resolveConnection } from '@mas/persistence';
import { Logger } from 'nestjs-pino';
import { AppConfig, loadAppConfig } from './config/app-config.js';
import { createApiApp } from './create-app.js';

function loadConfigOrExit(): AppConfig {
  try {
    return loadAppConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfigOrExit();
  const database = await resolveConnection(config.database, (message) => console.log(message));
  const app = await createApiApp({ config, connection: database.connection });
  await app.listen(config.port, config.host);

  const logger = app.get(Logger);
  const url = `http://localhost:${config.port}/api`;
  logger.log(
    `MAS API ready in ${Math.round(performance.now() - started)} ms at ${url} (docs: ${url}/docs)`,
  );
  if (database.embedded) {
    logger.log(
      `embedded PostgreSQL on 127.0.0.1:${database.connection.port}, data in ${config.database.embedded.dataDir}`,
    );
  }
  const { admin } = config.identity;
  logger.log(
    `admin login: ${admin.email}` +
      (admin.usesDevelopmentDefault
        ? ` / ${admin.password} (development default; set ADMIN_PASSWORD)`
        : ' (password from ADMIN_PASSWORD)'),
  );

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: no new connections, finishing in-flight requests`);
    const deadline = new Promise((resolve) =>
      setTimeout(resolve, config.shutdownTimeoutMs).unref(),
    );
    await Promise.race([app.close(), deadline]);
    await database.stop();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, (received) => void shutdown(received));
  }
}

await main();
