import { ensureDatabaseExists, loadMigrations, migrateDatabase } from '@mas/persistence';
import type pg from 'pg';
import { connectClient, type DatabaseTarget } from '../database-client.js';
import { BackupRefusedError } from '../errors.js';

const USER_SCHEMAS = `nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'`;

/** Creates the target database if missing; refuses one holding tables unless `force`, which empties it. */
export async function prepareEmptyTarget(target: DatabaseTarget, force: boolean): Promise<void> {
  await ensureDatabaseExists(target.connection, target.ssl);
  const client = await connectClient(target, 'restore');
  try {
    const { rows } = await client.query<{ tables: number }>(`
      SELECT count(*)::int AS tables FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND ${USER_SCHEMAS}`);
    if (rows[0].tables === 0) return;
    if (!force) {
      throw new BackupRefusedError(
        `the target database ${target.connection.database} is not empty (${rows[0].tables} tables): ` +
          'restore into an empty database, or pass --force to replace everything in it',
      );
    }
    await dropUserSchemas(client);
  } finally {
    await client.end();
  }
}

/** --force: every user schema goes (extensions in them too); public comes back empty. */
async function dropUserSchemas(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ schema: string }>(
    `SELECT nspname AS schema FROM pg_namespace WHERE ${USER_SCHEMAS}`,
  );
  for (const { schema } of rows) {
    await client.query(`DROP SCHEMA "${schema.replaceAll('"', '""')}" CASCADE`);
  }
  await client.query('CREATE SCHEMA IF NOT EXISTS public');
}

function migrationName(migration: unknown): string {
  const instance = new (migration as new () => { name?: string })();
  return instance.name ?? (migration as { name: string }).name;
}

/**
 * Applies this code's migrations up to and including `head` (the backup's), under the usual lock:
 * the schema comes from the migrations, as everywhere else. Refuses a backup whose migrations this
 * code does not have, or has in another order.
 */
export async function migrateToHead(target: DatabaseTarget, applied: string[]): Promise<void> {
  const known = await loadMigrations();
  const names = known.map(migrationName);
  const prefix = names.slice(0, applied.length);
  if (prefix.join('\n') !== applied.join('\n')) {
    const missing = applied.find((name, index) => names[index] !== name);
    throw new BackupRefusedError(
      `the backup's schema is at migration ${applied.at(-1)}, but this code's migrations differ ` +
        `from ${missing}: restore with the code version that made the backup`,
    );
  }
  await migrateDatabase(target.connection, {
    ssl: target.ssl,
    migrations: known.slice(0, applied.length),
  });
}
