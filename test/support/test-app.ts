import { Writable } from 'node:stream';
import { type INestApplication, type INestApplicationContext } from '@nestjs/common';
import { QueueRegistry } from '@mas/jobs';
import request from 'supertest';
import { loadAppConfig } from '../../apps/api/src/config/app-config.js';
import { createApiApp } from '../../apps/api/src/create-app.js';
import { QueueWorkers } from '../../apps/api/src/jobs/queue-workers.js';
import { appDatabaseEnv, type TestDatabase } from './test-database.js';

export const TEST_ADMIN = { email: 'admin@test.local', password: 'admin-test-password' };
export const TEST_JWT_SECRET = 'test-only-secret-that-is-long-enough-1234567890';

export interface TestApp {
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  /** Every log line the app wrote, as raw JSON text. */
  logs: string[];
  close(): Promise<void>;
}

export function testEnv(
  database: TestDatabase,
  env: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    // A test that names its own DATABASE_URL gets no DATABASE_DIRECT_URL of this database.
    ...(env.DATABASE_URL ? {} : appDatabaseEnv(database)),
    DB_POOL_MIN: '0',
    DB_POOL_MAX: '10',
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    JWT_SECRET: TEST_JWT_SECRET,
    // Abuse limits far above what a suite does; each database counts under its own Redis prefix,
    // so parallel suites (one client address, one admin email) never share a window.
    ABUSE_REDIS_PREFIX: `test:${new URL(database.url).pathname.slice(1)}:abuse:`,
    LOGIN_RATE_LIMIT: '1000',
    LOGIN_ACCOUNT_FAILURE_LIMIT: '1000',
    LOGIN_ADDRESS_FAILURE_LIMIT: '1000',
    REGISTER_RATE_LIMIT: '1000',
    PASSWORD_HASH_QUEUE_MAX: '1000',
    // scrypt at 2^12 instead of 2^17 (about 20 ms instead of 300-500 ms a hash here): suites make
    // hundreds of accounts and logins. The hasher's own spec, the abuse spec and apps booted as
    // production (which refuses anything below 2^17) use the real cost.
    ...(env.NODE_ENV === 'production' ? {} : { PASSWORD_SCRYPT_LOG_N: '12' }),
    ...env,
  };
}

/** Boots the real API (migrations, seeds, guards, filters) on a test database. */
export async function startTestApp(
  database: TestDatabase,
  env: Record<string, string> = {},
): Promise<TestApp> {
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const config = loadAppConfig(testEnv(database, env));
  const app = await createApiApp({
    config,
    connection: config.database.connection!,
    logDestination,
  });
  return { app, http: () => request(app.getHttpServer()), logs, close: () => app.close() };
}

export async function login(testApp: TestApp, email: string, password: string): Promise<string> {
  const response = await testApp
    .http()
    .post('/api/auth/login')
    .send({ email, password })
    .expect(200);
  return (response.body as { accessToken: string }).accessToken;
}

/**
 * Stops the app's queue workers (APP_ROLE=api has none), empties its queues in Redis so no job
 * outlives the test, then closes the app.
 */
export async function stopWithQueues(
  testApp: { app: INestApplicationContext; close(): Promise<void> } | undefined,
): Promise<void> {
  if (!testApp) return;
  let workers: QueueWorkers | undefined;
  try {
    workers = testApp.app.get(QueueWorkers);
  } catch {
    // APP_ROLE=api: no workers
  }
  await workers?.beforeApplicationShutdown();
  for (const queue of testApp.app.get(QueueRegistry).all()) await queue.obliterate({ force: true });
  await testApp.close();
}
