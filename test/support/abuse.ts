import { createHmac, randomUUID } from 'node:crypto';
import { type TestApp } from './test-app.js';
import { type TestDatabase } from './test-database.js';

/** A Redis key prefix of its own, so runs (and apps within a run) never share a limiter window. */
export function uniqueAbusePrefix(): string {
  return `test:abuse:${randomUUID()}:`;
}

/** The production defaults of the abuse limits and the hash cost, overriding testEnv's. */
export const PRODUCTION_LIMITS: Record<string, string> = {
  LOGIN_RATE_LIMIT: '300',
  LOGIN_RATE_WINDOW_MS: '60000',
  LOGIN_ACCOUNT_FAILURE_LIMIT: '10',
  LOGIN_ADDRESS_FAILURE_LIMIT: '50',
  REGISTER_RATE_LIMIT: '20',
  PASSWORD_HASH_QUEUE_MAX: '64',
  PASSWORD_SCRYPT_LOG_N: '17',
};

/**
 * Students with this password: one registers through the API, the others are inserted in SQL with
 * a copy of its hash, so a test gets many accounts for the price of one hash.
 */
export async function insertStudents(
  testApp: TestApp,
  database: TestDatabase,
  count: number,
  password: string,
): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, i) => `student-${i}-${randomUUID()}@abuse.test`);
  await testApp
    .http()
    .post('/api/auth/register')
    .send({ email: emails[0], password, fullName: 'Student' })
    .expect(201);
  await database.sql(
    `INSERT INTO users (email, password_hash, full_name)
     SELECT unnest($1::text[]), password_hash, 'Student' FROM users WHERE email = $2`,
    [emails.slice(1), emails[0]],
  );
  return emails;
}

/** An HS256 JWT with exactly these claims (no `exp` unless given). */
export function signJwt(claims: Record<string, unknown>, secret: string): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

/** Milliseconds one call takes. */
export async function timed<T>(call: () => PromiseLike<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await call();
  return { ms: performance.now() - started, result };
}
