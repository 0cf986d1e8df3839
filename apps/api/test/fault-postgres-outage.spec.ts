import { setTimeout as sleep } from 'node:timers/promises';
import { ensureDatabaseExists, loadDatabaseConfig } from '@mas/persistence';
import pg from 'pg';
import { PrivatePostgres } from '../../../test/support/private-postgres.js';
import { login, startTestApp, TEST_ADMIN, TestApp } from '../../../test/support/test-app.js';
import type { TestDatabase } from '../../../test/support/test-database.js';

const CLIENTS = 16;
const DOWN_MS = 3_000;

interface Outcome {
  status: number;
  retryAfter?: string;
  /** performance.now() when the answer came */
  at: number;
  createdCode?: string;
}

/** The test database on the private server (created by hand: it is not the shared test server). */
async function databaseOn(
  server: PrivatePostgres,
): Promise<TestDatabase & { end(): Promise<void> }> {
  const connection = loadDatabaseConfig({ DATABASE_URL: server.url('mas_outage') }).connection!;
  await ensureDatabaseExists(connection, false);
  const pool = new pg.Pool({ connectionString: server.url('mas_outage'), max: 2 });
  pool.on('error', () => undefined);
  return {
    connection,
    url: server.url('mas_outage'),
    sql: (text, values) => pool.query(text, values),
    drop: () => Promise.resolve(),
    end: () => pool.end(),
  };
}

/**
 * CLIENTS loops, each alternating a write (a new course) and a read (the course list) as the admin,
 * until `stopped()`; every answer is recorded.
 */
async function load(
  app: TestApp,
  token: string,
  label: string,
  stopped: () => boolean,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const client = async (id: number) => {
    for (let n = 0; !stopped(); n++) {
      const code = `${label}-${id}-${n}`;
      const response =
        n % 2 === 0
          ? await app
              .http()
              .post('/api/lms/courses')
              .set('Authorization', `Bearer ${token}`)
              .send({ code, title: `Outage ${code}`, price: '10.00' })
          : await app.http().get('/api/lms/courses').set('Authorization', `Bearer ${token}`);
      outcomes.push({
        status: response.status,
        retryAfter: response.get('Retry-After'),
        at: performance.now(),
        createdCode: response.status === 201 ? code : undefined,
      });
      // A refused request is retried a little later, as Retry-After asks (shortened for the test).
      if (response.status === 503) await sleep(50);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id)));
  return outcomes;
}

describe('faults: PostgreSQL stops or crashes under load', () => {
  let server: PrivatePostgres;
  let database: Awaited<ReturnType<typeof databaseOn>>;
  let app: TestApp;
  let token: string;

  beforeAll(async () => {
    server = await PrivatePostgres.create();
    database = await databaseOn(server);
    app = await startTestApp(database, { DB_POOL_MAX: '10', DB_CONNECT_TIMEOUT_MS: '2000' });
    token = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.end();
    await server?.destroy();
  });

  it.each(['fast', 'immediate'] as const)(
    'while down (%s stop) every failure is a 503 with Retry-After; it serves again within seconds of the restart; every acknowledged write is there',
    async (mode) => {
      let stopped = false;
      const label = mode === 'fast' ? 'FAST' : 'CRASH';
      const running = load(app, token, label, () => stopped);
      await sleep(1_000);
      const downAt = performance.now();
      await server.stop(mode);
      await sleep(DOWN_MS);
      await server.start();
      const upAt = performance.now();
      await sleep(4_000);
      stopped = true;
      const outcomes = await running;

      const failures = outcomes.filter((outcome) => outcome.status >= 500);
      const unavailable = failures.filter((outcome) => outcome.status === 503);
      expect(failures.filter((outcome) => outcome.status !== 503)).toEqual([]);
      expect(unavailable.length).toBeGreaterThan(0);
      expect(unavailable.every((outcome) => Number(outcome.retryAfter) > 0)).toBe(true);
      // Back by itself: the requests of the last second all succeeded.
      const end = Math.max(...outcomes.map((outcome) => outcome.at));
      const lastSecond = outcomes.filter((outcome) => outcome.at > end - 1_000);
      expect(lastSecond.length).toBeGreaterThan(0);
      expect(lastSecond.every((outcome) => outcome.status < 300)).toBe(true);

      const acknowledged = outcomes.flatMap((outcome) => outcome.createdCode ?? []);
      const { rows } = await database.sql('SELECT code FROM courses WHERE code = ANY($1::text[])', [
        acknowledged,
      ]);
      expect(rows.length).toBe(acknowledged.length);

      const lastFailure = Math.max(...unavailable.map((outcome) => outcome.at));
      console.log(
        `postgres ${mode} stop, down ${Math.round(upAt - downAt)} ms (stop + ${DOWN_MS} ms + start): ` +
          `${outcomes.length} requests, ${failures.length} 5xx, ${unavailable.length} of them 503 with Retry-After; ` +
          `${acknowledged.length} writes acknowledged, ${rows.length} present; ` +
          `serving again ${Math.max(0, Math.round(lastFailure - upAt))} ms after the server was back`,
      );
    },
    60_000,
  );
});
