import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';

async function countAdmins(database: TestDatabase): Promise<number> {
  const result = await database.sql(
    `SELECT count(*)::int AS n FROM users WHERE email = $1 AND role = 'admin'`,
    [TEST_ADMIN.email],
  );
  return (result.rows[0] as { n: number }).n;
}

describe('booting', () => {
  const databases: TestDatabase[] = [];
  const apps: TestApp[] = [];

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('boots twice on the same database: bootstrap, migrations and ensure seeds are idempotent', async () => {
    const database = await createTestDatabase({ migrated: false });
    databases.push(database);

    const first = await startTestApp(database);
    apps.push(first);
    await first.http().get('/api/health/ready').expect(200);
    await first.close();
    apps.pop();

    const second = await startTestApp(database);
    apps.push(second);
    await second.http().get('/api/health/ready').expect(200);

    expect(await countAdmins(database)).toBe(1);
    const migrations = await database.sql(
      `SELECT name, count(*)::int AS n FROM migrations GROUP BY name`,
    );
    expect(migrations.rows.every((row: { n: number }) => row.n === 1)).toBe(true);
  });

  it('two instances booting at once against one empty database migrate once and both serve', async () => {
    const database = await createTestDatabase({ migrated: false });
    databases.push(database);

    const booted = await Promise.all([startTestApp(database), startTestApp(database)]);
    apps.push(...booted);

    for (const app of booted) {
      const health = await app.http().get('/api/health').expect(200);
      expect(health.body.info.database.status).toBe('up');
      expect(health.body.info.migrations.status).toBe('up');
    }
    const migrations = await database.sql(
      `SELECT name, count(*)::int AS n FROM migrations GROUP BY name`,
    );
    expect(migrations.rowCount).toBeGreaterThan(0);
    expect(migrations.rows.every((row: { n: number }) => row.n === 1)).toBe(true);
    expect(await countAdmins(database)).toBe(1);
  });
});
