import { type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { burst, type BurstAnswer, figuresOf } from '@mas/testing/burst.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';

const CONCURRENT = 500;
const POOL_MAX = 4;
const STALL_CAP_MS = 30_000;

/**
 * 500 concurrent list requests against a 4-connection pool, as they come and while the database
 * is stalled (another session locks the users table, which every authenticated request reads).
 * With shedding on (200 ms acquire timeout) a request that cannot get a connection answers 503 +
 * Retry-After at once; with it off (60 s) every request queues for the pool. Both print figures.
 */
describe('overload: bounded pool acquisition sheds load', () => {
  let database: TestDatabase;
  const apps: TestApp[] = [];
  /** How long the shedding-on stall lasted; the shedding-off run stalls as long, to compare. */
  let stallMs = 0;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await database?.drop();
  });

  async function listening(acquireTimeoutMs: number) {
    const app = await startTestApp(database, {
      APP_ROLE: 'api',
      OUTBOX_RELAY_ENABLED: 'false',
      DB_POOL_MAX: String(POOL_MAX),
      DB_POOL_MIN: '0',
      DB_POOL_ACQUIRE_TIMEOUT_MS: String(acquireTimeoutMs),
      LOG_LEVEL: 'warn',
    });
    apps.push(app);
    await app.app.listen(0, '127.0.0.1');
    const { port } = (app.app.getHttpServer() as Server).address() as AddressInfo;
    const token = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    const fire = (onAnswer?: (answer: BurstAnswer) => void) =>
      burst(
        `http://127.0.0.1:${port}/api/users?limit=20`,
        CONCURRENT,
        { Authorization: `Bearer ${token}` },
        onAnswer,
      );
    return { app, token, fire };
  }

  /**
   * Fires the burst while the users table is locked, and releases the lock once `releaseWhen`
   * settles. Returns the answers and when the lock was released.
   */
  async function duringStall(
    fire: (onAnswer: (answer: BurstAnswer) => void) => Promise<BurstAnswer[]>,
    releaseWhen: (answered: () => number) => Promise<unknown>,
  ): Promise<{
    answers: BurstAnswer[];
    releasingAt: number;
    releasedAt: number;
    lockedAt: number;
  }> {
    const locker = await database.session();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      const lockedAt = performance.now();
      let answered = 0;
      const answersPromise = fire(() => answered++);
      await releaseWhen(() => answered);
      // The lock is gone once the server runs the ROLLBACK, which may be before its reply reaches
      // us: a request it unblocks can be answered in between. Its bounds are both instants.
      const releasingAt = performance.now();
      await locker.query('ROLLBACK');
      const releasedAt = performance.now();
      return { answers: await answersPromise, releasingAt, releasedAt, lockedAt };
    } finally {
      await locker.end();
    }
  }

  function expectOnly200Or503WithRetryAfter(answers: BurstAnswer[]) {
    const other = answers.filter((answer) => answer.status !== 200 && answer.status !== 503);
    expect(other.map((answer) => answer.status)).toEqual([]);
    // A busy pool says so; a new connection that Postgres is too loaded to open within the same
    // bound is a generic 503 with a longer Retry-After.
    for (const shed of answers.filter((answer) => answer.status === 503)) {
      expect(shed.retryAfter).toMatch(/^[1-9]\d*$/);
      expect(JSON.parse(shed.body)).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: expect.stringMatching(/retry later$/),
      });
    }
  }

  it('shedding on: every answer is 200 or 503 + Retry-After, shed requests do not wait for a stalled database, and it still answers afterwards', async () => {
    const { app, token, fire } = await listening(200);

    const steady = await fire();
    console.log('shedding on, 500 concurrent GET /api/users:', JSON.stringify(figuresOf(steady)));
    expectOnly200Or503WithRetryAfter(steady);

    // Every request but the POOL_MAX holding a (blocked) connection must be shed while the lock
    // is still held; the cap only keeps a broken build from hanging.
    const { answers, releasedAt, lockedAt } = await duringStall(fire, (answered) =>
      waitFor(() => answered() >= CONCURRENT - POOL_MAX, STALL_CAP_MS),
    );
    stallMs = releasedAt - lockedAt;
    console.log(
      `shedding on, same load with the database stalled for ${Math.round(stallMs)} ms:`,
      JSON.stringify(figuresOf(answers)),
    );
    expectOnly200Or503WithRetryAfter(answers);
    const shed = answers.filter((answer) => answer.status === 503);
    expect(shed.length).toBeGreaterThanOrEqual(CONCURRENT - POOL_MAX);
    expect(shed.every((answer) => answer.at < releasedAt)).toBe(true);
    expect(stallMs).toBeLessThan(STALL_CAP_MS);

    await app.http().get('/api/users?limit=1').set('Authorization', `Bearer ${token}`).expect(200);
    expect((await database.sql('SELECT count(*)::int AS n FROM users')).rows[0].n).toBeGreaterThan(
      0,
    );
  }, 180_000);

  it('shedding off (60 s acquire timeout), for comparison: every request queues until the database answers', async () => {
    const { fire } = await listening(60_000);

    const steady = await fire();
    console.log('shedding off, 500 concurrent GET /api/users:', JSON.stringify(figuresOf(steady)));
    expect(figuresOf(steady).statuses).toEqual({ 200: CONCURRENT });

    const { answers, releasingAt } = await duringStall(fire, () => sleep(Math.max(stallMs, 1000)));
    const figures = figuresOf(answers);
    console.log(
      `shedding off, same load with the database stalled for ${Math.round(Math.max(stallMs, 1000))} ms:`,
      JSON.stringify(figures),
    );
    expect(figures.statuses).toEqual({ 200: CONCURRENT });
    expect(answers.every((answer) => answer.at >= releasingAt - 1)).toBe(true);
  }, 180_000);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, capMs: number): Promise<void> {
  const deadline = performance.now() + capMs;
  while (!condition() && performance.now() < deadline) await sleep(10);
}
