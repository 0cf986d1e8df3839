import { type DatabaseConfig } from '../config/database-config.js';
import { type RunningPostgres, startEmbeddedPostgres } from './embedded-postgres.js';

/** The configured server, or an embedded PostgreSQL when neither DATABASE_URL nor DB_HOST is set. */
export async function resolveConnection(
  config: DatabaseConfig,
  log: (message: string) => void,
): Promise<RunningPostgres & { embedded: boolean }> {
  if (config.connection) {
    return { connection: config.connection, stop: () => Promise.resolve(), embedded: false };
  }
  return { ...(await startEmbeddedPostgres(config.embedded, log)), embedded: true };
}
