import pg from 'pg';
import { type DatabaseConnection } from '../config/database-config.js';
import { pgClientConfig } from '../config/pg-client-config.js';

/** The product schemas that share one database. */
export const NAMED_SCHEMAS = ['public', 'mas_crm', 'mrlearn', 'mrtest', 'superadmin'] as const;

/**
 * Extensions the migrations rely on: uuids, case-insensitive text, exclusion constraints on
 * uuid + range, and trigram indexes for text search.
 */
export const EXTENSIONS = ['pgcrypto', 'citext', 'btree_gist', 'pg_trgm'] as const;

const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

/** Runs `work` on a short-lived connection to the server's `postgres` maintenance database. */
async function withMaintenanceClient<T>(
  connection: DatabaseConnection,
  ssl: boolean,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ ...pgClientConfig(connection, ssl), database: 'postgres' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates the database when it is missing (local and embedded setups). Safe when several
 * processes race: the loser's "already exists" is ignored. Returns whether it created it.
 */
export function ensureDatabaseExists(
  connection: DatabaseConnection,
  ssl: boolean,
): Promise<boolean> {
  return withMaintenanceClient(connection, ssl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      connection.database,
    ]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(connection.database)}`);
      return true;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === DUPLICATE_DATABASE || code === UNIQUE_VIOLATION) return false;
      throw error;
    }
  });
}

/** Drops a scratch database (drift checks, tests), disconnecting whoever still uses it. */
export function dropDatabase(connection: DatabaseConnection, ssl: boolean): Promise<void> {
  return withMaintenanceClient(connection, ssl, async (client) => {
    await client.query(
      `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(connection.database)} WITH (FORCE)`,
    );
  });
}

/**
 * Extensions and named schemas; idempotent. Run under the migration lock. Takes a TypeORM query
 * runner or a plain pg client (the migration guard's scratch databases).
 */
export async function ensureExtensionsAndSchemas(runner: {
  query(sql: string): Promise<unknown>;
}): Promise<void> {
  for (const extension of EXTENSIONS) {
    await runner.query(`CREATE EXTENSION IF NOT EXISTS ${pg.escapeIdentifier(extension)}`);
  }
  for (const schema of NAMED_SCHEMAS) {
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
  }
}
