import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

/**
 * In watch mode the embedded PostgreSQL (used when neither DATABASE_URL nor DB_HOST is set)
 * belongs to the watcher, not to each app process: the app finds it on EMBEDDED_PG_PORT serving
 * our data directory and reuses it, so a restart does not stop and start PostgreSQL (seconds).
 * Returns how to stop it; a no-op when a database is configured.
 */
export async function holdEmbeddedDatabase(root, log) {
  const persistence = await import(
    pathToFileURL(join(root, 'dist/libs/persistence/src/index.js')).href
  );
  const config = persistence.loadDatabaseConfig(process.env);
  if (config.connection) return () => Promise.resolve();
  const server = await persistence.startEmbeddedPostgres(config.embedded, log);
  log(`embedded PostgreSQL on 127.0.0.1:${config.embedded.port}, kept across restarts`);
  return () => server.stop();
}
