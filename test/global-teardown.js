import { Redis } from 'ioredis';
import pg from 'pg';

/** Drops every database this run created (also those of a test that failed before its own cleanup). */
async function dropRunDatabases() {
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
}

/** Removes the BullMQ keys of this run's test databases (their prefix is `bull-test-<database>`). */
async function deleteRunQueueKeys() {
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `bull-test-${process.env.TEST_RUN_ID}_*`,
        'COUNT',
        1000,
      );
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis not running: nothing of this run can be in it.
  } finally {
    redis.disconnect();
  }
}

export default async function globalTeardown() {
  await globalThis.stopTestPgBouncer?.();
  await dropRunDatabases();
  await deleteRunQueueKeys();
  await globalThis.stopTestPostgres?.();
}
