import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { TcpProxy } from '@mas/testing/tcp-proxy.js';
import { until } from '@mas/testing/until.js';
import { Draining } from '../src/health/draining.js';

describe('health', () => {
  const databases: TestDatabase[] = [];
  const apps: TestApp[] = [];
  const proxies: TcpProxy[] = [];

  async function boot(env: Record<string, string> = {}, migrated = true) {
    const database = await createTestDatabase({ migrated });
    databases.push(database);
    const app = await startTestApp(database, env);
    apps.push(app);
    return { database, app };
  }

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('reports database, redis and migrations up', async () => {
    const { app } = await boot();
    const response = await app.http().get('/api/health').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.info.database.status).toBe('up');
    expect(response.body.info.redis.status).toBe('up');
    expect(response.body.info.migrations.status).toBe('up');
    await app.http().get('/api/health/live').expect(200, { status: 'ok' });
    await app.http().get('/api/health/ready').expect(200);
  });

  // That answers then close their keep-alive connections is shown by fault-sigterm.spec.ts
  // (supertest closes every connection itself).
  it('is not ready once a shutdown began', async () => {
    const { app } = await boot();
    await app.http().get('/api/health/ready').expect(200);
    app.app.get(Draining).begin();
    const ready = await app.http().get('/api/health/ready').expect(503);
    expect(ready.body).toEqual({ status: 'shutting_down' });
    await app.http().get('/api/health/live').expect(200);
  });

  it('boots and serves without Redis, reporting it as degraded', async () => {
    const { app } = await boot({ REDIS_URL: 'redis://127.0.0.1:1' });
    const response = await app.http().get('/api/health').expect(200);
    expect(response.body.status).toBe('degraded');
    expect(response.body.info.redis.status).toBe('degraded');
    expect(response.body.info.redis.message).toMatch(
      /^redis (is unreachable|did not answer in time)$/,
    );
    await app.http().get('/api/health/ready').expect(200);
  });

  it('is not ready while migrations are pending (MIGRATIONS_RUN=false on an empty database)', async () => {
    const { app } = await boot({ MIGRATIONS_RUN: 'false' }, false);
    const ready = await app.http().get('/api/health/ready').expect(503);
    expect(ready.body.error.migrations.status).toBe('down');
    expect(ready.body.error.migrations.pending.length).toBeGreaterThan(0);
    await app.http().get('/api/health').expect(503);
    await app.http().get('/api/health/live').expect(200);
  });

  it('reports the database down when it stops accepting connections, and up when it is back', async () => {
    const { app, database } = await boot();
    const name = database.connection.database;
    const admin = await createTestDatabase({ migrated: false });
    databases.push(admin);
    try {
      await admin.sql(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [
        name,
      ]);
      const down = await app.http().get('/api/health/ready').expect(503);
      expect(down.body.error.database.status).toBe('down');
      await app.http().get('/api/health').expect(503);
      await app.http().get('/api/health/live').expect(200);
    } finally {
      await admin.sql(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    }
    // Within moments (behind PgBouncer: once its server_login_retry has passed).
    const up = await until(async () => {
      const response = await app.http().get('/api/health/ready');
      return response.status === 200 ? response : undefined;
    }, 'the database back');
    expect(up.body.info.database.status).toBe('up');
  });

  it('never shows connection details while the database is down: no host, port, user or database name', async () => {
    const database = await createTestDatabase({ migrated: true });
    databases.push(database);
    const { host, port, username, database: name } = database.connection;
    const proxy = await TcpProxy.reserve({ host, port });
    proxies.push(proxy);
    await proxy.start();
    const app = await startTestApp(database, {
      DATABASE_URL: `postgres://${username}@127.0.0.1:${proxy.port}/${name}`,
    });
    apps.push(app);
    const token = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    const secrets = [host, '127.0.0.1', 'localhost', String(port), String(proxy.port), name];
    const expectNoConnectionDetails = (text: string) => {
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/ECONNREFUSED|postgres:\/\//);
    };
    try {
      await proxy.stop();
      for (const path of ['/api/health', '/api/health/ready']) {
        const response = await app.http().get(path).expect(503);
        expect(response.body.error.database).toEqual({
          status: 'down',
          message: 'database is unreachable',
        });
        expectNoConnectionDetails(response.text);
      }
      // An ordinary request is a retryable 503 as well, with nothing of the driver's text.
      const users = await app
        .http()
        .get('/api/users?limit=1')
        .set('Authorization', `Bearer ${token}`)
        .expect(503);
      expect(users.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(users.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: expect.stringMatching(/retry later$/),
      });
      expectNoConnectionDetails(users.text);
    } finally {
      await proxy.start();
    }
    await until(async () => {
      const response = await app.http().get('/api/health/ready');
      return response.status === 200 ? response : undefined;
    }, 'database back');
  });
});
