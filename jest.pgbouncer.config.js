import base from './jest.config.js';

/**
 * `npm run test:pgbouncer`: the API's e2e specs again, every app booted by testEnv on a PgBouncer
 * in transaction mode (DATABASE_URL) with sessions on the server (DATABASE_DIRECT_URL); see
 * test/global-setup.js.
 */
process.env.TEST_PGBOUNCER = 'true';

export default {
  ...base,
  testMatch: ['<rootDir>/apps/api/test/**/*.spec.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    // Their subject is a server of their own (a private Postgres or Redis, a proxy in front of
    // Redis) or a process they kill: the PgBouncer adds nothing to what they prove.
    '/apps/api/test/fault-',
    '/apps/api/test/jobs-redis-flush\\.spec\\.ts$',
    '/apps/api/test/jobs-redis-loss\\.spec\\.ts$',
    '/apps/api/test/outbox-redis-down\\.spec\\.ts$',
    // Runs its own PgBouncers, with settings of its own.
    '/apps/api/test/pgbouncer\\.spec\\.ts$',
  ],
};
