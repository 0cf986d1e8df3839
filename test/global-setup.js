import { randomBytes } from 'node:crypto';
// Jest loads global setup outside its ESM transform, so this uses the compiled persistence lib
// (`npm test` builds first).
import {
  connectionUrl,
  loadDatabaseConfig,
  startEmbeddedPostgres,
} from '../dist/libs/persistence/src/index.js';

/**
 * One PostgreSQL server for the whole run: TEST_DATABASE_URL's, or an embedded one. Each test
 * file creates its own databases on it (named after this run) and global teardown drops them.
 * With TEST_PGBOUNCER=true (`npm run test:pgbouncer`), also one PgBouncer in transaction mode in
 * front of it, which every app booted by testEnv uses as its DATABASE_URL.
 */
export default async function globalSetup() {
  process.env.TEST_RUN_ID ??= `mas_test_${randomBytes(3).toString('hex')}`;
  await startTestPostgres();
  if (process.env.TEST_PGBOUNCER === 'true') await startTestPgBouncer();
}

async function startTestPostgres() {
  if (process.env.TEST_DATABASE_URL) {
    process.env.TEST_SERVER_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  const { embedded } = loadDatabaseConfig({
    EMBEDDED_PG_DATA_DIR: '.data/test-postgres',
    EMBEDDED_PG_PORT: process.env.TEST_EMBEDDED_PG_PORT ?? '54339',
    EMBEDDED_PG_DATABASE: 'postgres',
  });
  const server = await startEmbeddedPostgres(embedded, (message) => console.log(message));
  process.env.TEST_SERVER_URL = connectionUrl(server.connection);
  globalThis.stopTestPostgres = server.stop;
}

async function startTestPgBouncer() {
  const { PrivatePgBouncer } = await import('../dist/bench/support/private-pgbouncer.js');
  const { freePort } = await import('../dist/bench/support/free-port.js');
  const bouncer = await PrivatePgBouncer.start(process.env.TEST_SERVER_URL, {
    port: await freePort(),
  });
  process.env.TEST_PGBOUNCER_PORT = String(bouncer.port);
  console.log(`PgBouncer (transaction mode) on 127.0.0.1:${bouncer.port}`);
  globalThis.stopTestPgBouncer = () => bouncer.stop();
}
