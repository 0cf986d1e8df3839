import { createTestDatabase, TestDatabase } from '../../../test/support/test-database.js';
import { startTestApp, TestApp } from '../../../test/support/test-app.js';

describe('health', () => {
  const databases: TestDatabase[] = [];
  const apps: TestApp[] = [];

  async function boot(env: Record<string, string> = {}, migrated = true) {
    const database = await createTestDatabase({ migrated });
    databases.push(database);
    const app = await startTestApp(database, env);
    apps.push(app);
    return { database, app };
  }

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
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
    const up = await app.http().get('/api/health/ready').expect(200);
    expect(up.body.info.database.status).toBe('up');
  });
});
