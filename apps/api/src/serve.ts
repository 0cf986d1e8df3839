import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { type INestApplicationContext } from '@nestjs/common';
import type { Server } from 'node:http';
import { ConfigError, resolveConnection } from '@mas/persistence';
import { Logger } from 'nestjs-pino';
import { type AppConfig, loadAppConfig } from './config/app-config.js';
import { readSettings } from './config/read-settings.js';
import { createApiApp } from './create-app.js';
import { Draining, stopAccepting } from './health/draining.js';
import { adminLogin, localApiUrl } from './login-hints.js';
import { createWorkerApp } from './worker.js';

/** A configuration problem (a bad variable, a taken EMBEDDED_PG_PORT) is one line and exit 1. */
function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

/** `.env` in the working directory under the environment, validated; exit 1 naming a bad variable. */
async function loadConfigOrExit(): Promise<AppConfig> {
  try {
    return await readSettings(loadAppConfig);
  } catch (error) {
    exitOnConfigError(error);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = await loadConfigOrExit();
  const database = await resolveConnection(config.database, (message) =>
    console.log(message),
  ).catch(exitOnConfigError);
  const options = { config, connection: database.connection };
  let app: INestApplicationContext;
  let httpServer: Server | undefined;
  let where: string;
  if (config.appRole === 'worker') {
    // A worker serves no API, only its own health server on WORKER_HEALTH_PORT.
    app = await createWorkerApp(options);
    where = `(health: http://localhost:${config.workerHealthPort}/health)`;
  } else {
    const api = await createApiApp(options);
    await api.listen(config.port, config.host);
    httpServer = api.getHttpServer() as Server;
    app = api;
    const url = localApiUrl(config.port);
    where = `at ${url} (docs: ${url}/docs)`;
  }

  const logger = app.get(Logger);
  const what = config.appRole === 'worker' ? 'worker' : 'API';
  logger.log(`MAS ${what} ready in ${Math.round(performance.now() - started)} ms ${where}`);
  if (database.embedded) {
    logger.log(
      `embedded PostgreSQL on 127.0.0.1:${database.connection.port}, data in ${config.database.embedded.dataDir}`,
    );
  }
  logger.log(`admin login: ${adminLogin(config.identity.admin)}`);

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: no new connections, finishing in-flight requests`);
    const deadline = new Promise((resolve) =>
      setTimeout(resolve, config.shutdownTimeoutMs).unref(),
    );
    if (httpServer) {
      // Readiness fails, new connections are refused and each open one closes after its next
      // answer; only after the drain does the server close what is left.
      app.get(Draining).begin();
      stopAccepting(httpServer);
      await Promise.race([
        sleep(Math.min(config.shutdownDrainMs, config.shutdownTimeoutMs)),
        deadline,
      ]);
    }
    await Promise.race([app.close(), deadline]);
    await database.stop();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, (received) => void shutdown(received));
  }
}

await main();
