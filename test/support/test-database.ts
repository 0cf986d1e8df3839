import { randomBytes } from 'node:crypto';
import {
  connectionUrl,
  type DatabaseConnection,
  dropDatabase,
  ensureDatabaseExists,
  loadDatabaseConfig,
  migrateDatabase,
} from '@mas/persistence';
import pg from 'pg';
import { DatabaseSessions } from '../../bench/support/database-sessions.js';

export interface TestDatabase {
  connection: DatabaseConnection;
  url: string;
  /** A plain pg client on this database, for asserting in SQL. */
  sql(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  /**
   * A connected session of its own on this database, for what a pool cannot give: a lock or a
   * transaction held across calls. `drop` closes the sessions still open.
   */
  session(): Promise<pg.Client>;
  drop(): Promise<void>;
}

function serverConnection(): DatabaseConnection {
  const url = process.env.TEST_SERVER_URL;
  if (!url)
    throw new Error(
      'TEST_SERVER_URL is not set: run the tests through jest (test/global-setup.ts)',
    );
  return loadDatabaseConfig({ DATABASE_URL: url }).connection!;
}

const TEMPLATE = `${process.env.TEST_RUN_ID}_template`;

/**
 * A fresh database for one test file: empty, or a copy of a template that the real migrations
 * were applied to once per run (the template is built by whichever worker needs it first).
 */
export async function createTestDatabase({
  migrated,
}: {
  migrated: boolean;
}): Promise<TestDatabase> {
  const name = `${process.env.TEST_RUN_ID}_${randomBytes(4).toString('hex')}`;
  const connection = { ...serverConnection(), database: name };
  if (migrated) {
    await ensureMigratedTemplate();
    await adminQuery(
      `CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(TEMPLATE)}`,
    );
  } else {
    await ensureDatabaseExists(connection, false);
  }
  const pool = new pg.Pool({ ...connection, user: connection.username, max: 4 });
  // pool.end() asks its connections to close without waiting for the server to see them go, so
  // drop()'s DROP DATABASE ... WITH (FORCE) may still terminate one: an expected error, not a failure.
  pool.on('error', () => undefined);
  const url = connectionUrl(connection);
  const sessions = new DatabaseSessions(url);
  return {
    connection,
    url,
    sql: (text, values) => pool.query(text, values),
    session: () => sessions.session(),
    drop: async () => {
      await sessions.closeAll();
      await pool.end();
      await dropDatabase(connection, false);
    },
  };
}

/**
 * DATABASE_URL (and DATABASE_DIRECT_URL) of an app on this database. Under `npm run
 * test:pgbouncer` the app's pool goes through the run's PgBouncer in transaction mode and its
 * sessions (migrations, LISTEN) straight to the server. A database on a server of the test's own
 * (a private primary and its replica) is not behind that PgBouncer.
 */
export function appDatabaseEnv(database: TestDatabase): Record<string, string> {
  const bouncerPort = process.env.TEST_PGBOUNCER_PORT;
  const onTestServer = new URL(database.url).host === new URL(process.env.TEST_SERVER_URL!).host;
  if (!bouncerPort || !onTestServer) return { DATABASE_URL: database.url };
  const pooled = new URL(database.url);
  pooled.hostname = '127.0.0.1';
  pooled.port = bouncerPort;
  return { DATABASE_URL: pooled.toString(), DATABASE_DIRECT_URL: database.url };
}

async function ensureMigratedTemplate(): Promise<void> {
  const admin = new pg.Client({
    connectionString: connectionUrl({ ...serverConnection(), database: 'postgres' }),
  });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [TEMPLATE]);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE]);
    if (!exists.rowCount) await buildTemplate();
  } finally {
    await admin.end();
  }
}

async function buildTemplate(): Promise<void> {
  await migrateDatabase({ ...serverConnection(), database: TEMPLATE });
}

async function adminQuery(text: string): Promise<void> {
  const admin = new pg.Client({
    connectionString: connectionUrl({ ...serverConnection(), database: 'postgres' }),
  });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}
