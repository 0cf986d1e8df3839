import pg from 'pg';

/** Drops every database this run created (also those of a test that failed before its own cleanup). */
export default async function globalTeardown() {
  const client = new pg.Client({
    connectionString: process.env.TEST_SERVER_URL,
    database: 'postgres',
  });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${process.env.TEST_RUN_ID}%`,
    ]);
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
  await globalThis.stopTestPostgres?.();
}
