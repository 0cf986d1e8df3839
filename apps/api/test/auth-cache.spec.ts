import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { until } from '@mas/testing/until.js';
import { createUserWithRole } from '@mas/testing/users.js';

const TTL_MS = 1500;

/**
 * Each instance keeps the user row a token names for AUTH_CACHE_TTL_MS. A change made through an
 * instance applies there at once; another instance, which still holds the row, applies it within
 * the TTL.
 */
describe('authentication without a user read per request', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    const env = { AUTH_CACHE_TTL_MS: String(TTL_MS) };
    [a, b] = await Promise.all([startTestApp(database, env), startTestApp(database, env)]);
    adminToken = await login(a, TEST_ADMIN.email, TEST_ADMIN.password);
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await database?.drop();
  });

  const me = (app: TestApp, token: string) =>
    app.http().get('/api/users/me').set('Authorization', `Bearer ${token}`);

  it('serves repeated requests of a user from one read of its row', async () => {
    const user = await createUserWithRole(a, 'student', adminToken);
    await me(b, user.token).expect(200);
    // The row changes behind the instance's back (no eviction): the cached copy still answers.
    await database.sql(`UPDATE users SET full_name = 'Renamed In SQL' WHERE id = $1`, [user.id]);
    const cached = await me(b, user.token).expect(200);
    expect(cached.body).toMatchObject({ fullName: 'Test student' });
    const fresh = await until(async () => {
      const response = await me(b, user.token).expect(200);
      return (response.body as { fullName: string }).fullName === 'Renamed In SQL'
        ? true
        : undefined;
    }, 'the cached row to expire');
    expect(fresh).toBe(true);
  });

  it('a deactivation applies at once where it was made and within the TTL on another instance', async () => {
    const user = await createUserWithRole(a, 'student', adminToken);
    await me(a, user.token).expect(200);
    await me(b, user.token).expect(200);
    const changedAt = Date.now();
    await a
      .http()
      .patch(`/api/users/${user.id}`)
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ isActive: false })
      .expect(200);
    await me(a, user.token).expect(401);
    await until(
      async () => ((await me(b, user.token)).status === 401 ? true : undefined),
      'instance B to refuse the deactivated user',
    );
    // Not a timing benchmark: the bound is the TTL plus generous slack for a loaded machine.
    expect(Date.now() - changedAt).toBeLessThan(TTL_MS + 5000);
  });

  it('a role change applies at once on the instance that made it', async () => {
    const user = await createUserWithRole(a, 'admin', adminToken);
    await a.http().get('/api/users').set('Authorization', `Bearer ${user.token}`).expect(200);
    await a
      .http()
      .patch(`/api/users/${user.id}`)
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ role: 'student' })
      .expect(200);
    await a.http().get('/api/users').set('Authorization', `Bearer ${user.token}`).expect(403);
  });
});
