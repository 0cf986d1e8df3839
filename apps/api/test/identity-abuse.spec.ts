import type { Response } from 'supertest';
import { insertStudents, PRODUCTION_LIMITS, timed, uniqueAbusePrefix } from '@mas/testing/abuse.js';
import { appsOnMigratedDatabase } from '@mas/testing/app-fixture.js';
import { TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';

const PASSWORD = 'classroom password 2024';
/** scrypt is deliberately slow; on a busy 2-core machine 30 of them take minutes. */
const SLOW = 300_000;

function loginAs(app: TestApp, email: string, password: string): Promise<Response> {
  return app.http().post('/api/auth/login').send({ email, password });
}

function register(app: TestApp, email: string): Promise<Response> {
  return app
    .http()
    .post('/api/auth/register')
    .send({ email, password: PASSWORD, fullName: 'Flood' });
}

function statuses(responses: Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of responses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

function expectRetryLater(response: Response, status: 429 | 503): void {
  expect(response.status).toBe(status);
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  expect(Object.keys(response.body as object).sort()).toEqual(['error', 'message', 'statusCode']);
  expect(response.body.statusCode).toBe(status);
}

describe('login limits, shared by two instances through Redis (production defaults)', () => {
  const fixture = appsOnMigratedDatabase();
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    const env = {
      ...PRODUCTION_LIMITS,
      // 300 per 10 minutes, stricter than the default 300 per minute, so a slow machine that
      // spreads the logins over more than a minute still proves the classroom fits.
      LOGIN_RATE_WINDOW_MS: '600000',
      APP_ROLE: 'api',
      ABUSE_REDIS_PREFIX: uniqueAbusePrefix(),
    };
    first = await fixture.boot(env);
    second = await fixture.boot(env);
  });

  it(
    'lets a classroom of 30 students behind one address log in within a minute',
    async () => {
      const emails = await insertStudents(first, fixture.database, 30, PASSWORD);
      const responses = await Promise.all(
        emails.map((email, i) => loginAs(i % 2 ? first : second, email, PASSWORD)),
      );
      expect(statuses(responses)).toEqual({ 200: 30 });
    },
    SLOW,
  );

  it(
    'refuses 30 concurrent wrong passwords on one account beyond 10, counted across both instances',
    async () => {
      const [victim, bystander] = await insertStudents(first, fixture.database, 2, PASSWORD);
      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          loginAs(i % 2 ? first : second, victim, `wrong guess ${i}`),
        ),
      );
      expect(statuses(responses)).toEqual({ 401: 10, 429: 20 });
      for (const refused of responses.filter((response) => response.status === 429)) {
        expectRetryLater(refused, 429);
        expect(refused.body.message).toMatch(/failed logins for this account/);
      }

      // The lock applies to everyone, the owner with the right password included, on either instance.
      expectRetryLater(await loginAs(first, victim, PASSWORD), 429);
      expectRetryLater(await loginAs(second, victim, PASSWORD), 429);
      // Other accounts from the same address are unaffected.
      expect((await loginAs(second, bystander, PASSWORD)).status).toBe(200);
    },
    SLOW,
  );
});

describe('failed logins per address', () => {
  const fixture = appsOnMigratedDatabase();
  let app: TestApp;

  beforeAll(async () => {
    app = await fixture.boot({
      ...PRODUCTION_LIMITS,
      APP_ROLE: 'api',
      ABUSE_REDIS_PREFIX: uniqueAbusePrefix(),
      LOGIN_ADDRESS_FAILURE_LIMIT: '4',
    });
  });

  it(
    'refuses an address guessing across many accounts, even for an account it never tried',
    async () => {
      const emails = await insertStudents(app, fixture.database, 5, PASSWORD);
      for (const email of emails.slice(0, 4)) {
        expect((await loginAs(app, email, 'wrong')).status).toBe(401);
      }
      const refused = await loginAs(app, emails[4], PASSWORD);
      expectRetryLater(refused, 429);
      expect(refused.body.message).toMatch(/failed logins from this address/);
    },
    SLOW,
  );
});

describe('registration limits and the bounded password hashing', () => {
  const fixture = appsOnMigratedDatabase();
  let app: TestApp;

  beforeAll(async () => {
    app = await fixture.boot({
      ...PRODUCTION_LIMITS,
      APP_ROLE: 'api',
      ABUSE_REDIS_PREFIX: uniqueAbusePrefix(),
      REGISTER_RATE_LIMIT: '1000',
      PASSWORD_HASH_CONCURRENCY: '1',
      PASSWORD_HASH_QUEUE_MAX: '1',
    });
  });

  it(
    'answers 503 + Retry-After beyond the queue, a duplicate 409 without hashing, and logins in their own lane',
    async () => {
      const [existing] = await insertStudents(app, fixture.database, 1, PASSWORD);
      // One hash runs, one waits; the other new accounts are refused at once.
      const flood = Array.from({ length: 5 }, (_, i) => register(app, `queued-${i}@abuse.test`));
      await new Promise((resolve) => setTimeout(resolve, 50));
      // While the signup lane is full: a duplicate never reaches the hasher (409, not 503), and a
      // login still gets through on the login lane.
      const duplicate = await timed(() => register(app, existing));
      const login = loginAs(app, existing, PASSWORD);
      const floodResponses = await Promise.all(flood);

      expect(duplicate.result.status).toBe(409);
      expect(duplicate.result.body.message).toBe('email is already registered');
      expect((await login).status).toBe(200);
      expect(statuses(floodResponses)).toEqual({ 201: 2, 503: 3 });
      for (const busy of floodResponses.filter((response) => response.status === 503)) {
        expectRetryLater(busy, 503);
      }
      const created = await fixture.database.sql(
        `SELECT count(*)::int AS n FROM users WHERE email LIKE 'queued-%@abuse.test'`,
      );
      expect(created.rows[0].n).toBe(2);
    },
    SLOW,
  );
});

describe('registrations per address', () => {
  const fixture = appsOnMigratedDatabase();
  let app: TestApp;

  beforeAll(async () => {
    app = await fixture.boot({
      ...PRODUCTION_LIMITS,
      APP_ROLE: 'api',
      ABUSE_REDIS_PREFIX: uniqueAbusePrefix(),
      REGISTER_RATE_LIMIT: '3',
    });
  });

  it(
    'counts every registration from an address, duplicates included, and refuses beyond the limit',
    async () => {
      expect((await register(app, 'first@abuse.test')).status).toBe(201);
      expect((await register(app, 'first@abuse.test')).status).toBe(409);
      expect((await register(app, 'second@abuse.test')).status).toBe(201);
      const refused = await register(app, 'third@abuse.test');
      expectRetryLater(refused, 429);
      expect(refused.body.message).toMatch(/too many registrations from this address/);
      const third = await fixture.database.sql(
        `SELECT 1 FROM users WHERE email = 'third@abuse.test'`,
      );
      expect(third.rowCount).toBe(0);
    },
    SLOW,
  );
});

describe('a login during a registration flood (figure)', () => {
  const fixture = appsOnMigratedDatabase();
  let app: TestApp;

  beforeAll(async () => {
    app = await fixture.boot({
      ...PRODUCTION_LIMITS,
      APP_ROLE: 'api',
      ABUSE_REDIS_PREFIX: uniqueAbusePrefix(),
      REGISTER_RATE_LIMIT: '1000000',
    });
  });

  it(
    'keeps a normal login close to its baseline while 32 connections flood register',
    async () => {
      const baseline = await timed(() => loginAs(app, TEST_ADMIN.email, TEST_ADMIN.password));
      expect(baseline.result.status).toBe(200);

      const floodUntil = Date.now() + 4000;
      const seen: Response[] = [];
      let counter = 0;
      const connection = async (worker: number) => {
        while (Date.now() < floodUntil) {
          // Half the connections repeat a known email, half create new accounts.
          const email = worker % 2 ? TEST_ADMIN.email : `flood-${worker}-${++counter}@abuse.test`;
          seen.push(await register(app, email));
        }
      };
      const flood = Promise.all(Array.from({ length: 32 }, (_, worker) => connection(worker)));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const during = await timed(() => loginAs(app, TEST_ADMIN.email, TEST_ADMIN.password));
      await flood;

      console.log(
        `login latency: baseline ${baseline.ms.toFixed(0)} ms, during a 32-connection register flood ` +
          `${during.ms.toFixed(0)} ms; flood answers ${JSON.stringify(statuses(seen))}`,
      );
      expect(during.result.status).toBe(200);
      // A login waits at most for the hashes already running (login lane first), never for the queue.
      expect(during.ms).toBeLessThan(Math.max(4 * baseline.ms, baseline.ms + 3000));
      expect(Object.keys(statuses(seen)).sort()).toEqual(expect.arrayContaining(['409']));
      expect(seen.every((response) => [201, 409, 503].includes(response.status))).toBe(true);
    },
    SLOW,
  );
});

describe('while Redis is unreachable', () => {
  const fixture = appsOnMigratedDatabase();
  let app: TestApp;

  beforeAll(async () => {
    app = await fixture.boot({
      ...PRODUCTION_LIMITS,
      APP_ROLE: 'api',
      REDIS_URL: 'redis://127.0.0.1:1',
      LOGIN_ACCOUNT_FAILURE_LIMIT: '2',
    });
  });

  it(
    'fails open to per-process counters: logins work and the limits still hold',
    async () => {
      const [email] = await insertStudents(app, fixture.database, 1, PASSWORD);
      expect((await loginAs(app, email, PASSWORD)).status).toBe(200);
      expect((await loginAs(app, email, 'wrong 1')).status).toBe(401);
      expect((await loginAs(app, email, 'wrong 2')).status).toBe(401);
      expectRetryLater(await loginAs(app, email, PASSWORD), 429);
    },
    SLOW,
  );
});
