import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, testEnv } from '@mas/testing/test-app.js';
import { childOutput } from '@mas/testing/child-output.js';

const DB_CLI = fileURLToPath(new URL('../../../dist/apps/api/src/cli/db.js', import.meta.url));

describe('npm run db:seed', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
  });

  afterAll(async () => {
    await database?.drop();
  });

  const seed = async () => {
    const child = spawn(process.execPath, [DB_CLI, 'seed'], {
      env: { ...process.env, ...testEnv(database, { PORT: '3456' }) },
      // stderr may carry a shutdown warning of the outbox relay; what users read is on stdout.
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const { code, stdout } = await childOutput(child);
    return { code, stdout };
  };

  /** The table rows of the output, as cells. */
  const loginRows = (stdout: string) =>
    stdout
      .split('\n')
      .filter((line) => line.includes('@demo.local'))
      .map((line) => line.trim().split(/ {2,}/));

  it('prints the demo logins it created, which log in, the admin and where to go next', async () => {
    const { code, stdout } = await seed();

    expect(code).toBe(0);
    expect(stdout).toContain('  email                  password       role        account');
    expect(loginRows(stdout)).toEqual([
      ['sales-head@demo.local', 'demo-password', 'sales_head', 'created'],
      ['sales@demo.local', 'demo-password', 'sales', 'created'],
      ['expert@demo.local', 'demo-password', 'expert', 'created'],
      ['student@demo.local', 'demo-password', 'student', 'created'],
    ]);
    expect(stdout).toContain(`Admin: ${TEST_ADMIN.email} (password from ADMIN_PASSWORD)`);
    expect(stdout).toContain('Next: npm start, open http://localhost:3456/api/docs');

    const app = await startTestApp(database);
    try {
      const token = await login(app, 'sales@demo.local', 'demo-password');
      const me = await app
        .http()
        .get('/api/users/me')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(me.body).toMatchObject({ email: 'sales@demo.local', role: 'sales' });
    } finally {
      await app.close();
    }
  });

  it('run again, lists the accounts that exist, and says which no longer log in with the demo password', async () => {
    await database.sql(
      `UPDATE users SET password_hash = 'scrypt$not-the-demo-password' WHERE email = 'expert@demo.local'`,
    );
    await database.sql(`UPDATE users SET is_active = false WHERE email = 'student@demo.local'`);

    const { code, stdout } = await seed();

    expect(code).toBe(0);
    expect(loginRows(stdout)).toEqual([
      ['sales-head@demo.local', 'demo-password', 'sales_head', 'existed'],
      ['sales@demo.local', 'demo-password', 'sales', 'existed'],
      ['expert@demo.local', '(changed since the seed)', 'expert', 'existed'],
      ['student@demo.local', 'demo-password', 'student', 'existed, inactive'],
    ]);
  });
});
