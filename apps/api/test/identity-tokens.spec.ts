import { signJwt } from '@mas/testing/abuse.js';
import { handshakeRefusal, listen } from '@mas/testing/realtime.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import {
  login,
  startTestApp,
  TEST_ADMIN,
  TEST_JWT_SECRET,
  type TestApp,
} from '@mas/testing/test-app.js';
import { createUserWithRole } from '@mas/testing/users.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('access tokens: expiry, versions, revocation', () => {
  let database: TestDatabase;
  let app: TestApp;
  let baseUrl: string;
  let adminToken: string;
  let adminId: string;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database, { APP_ROLE: 'api' });
    baseUrl = await listen(app);
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    adminId = (await app.http().get('/api/users/me').set(auth(adminToken)).expect(200)).body.id;
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const me = (token: string) => app.http().get('/api/users/me').set(auth(token));

  /** session.revoked rows the outbox holds for this user. */
  const revocations = async (userId: string): Promise<string[]> =>
    (
      await database.sql(
        `SELECT payload -> 'data' ->> 'reason' AS reason FROM outbox_messages
          WHERE topic = 'session.revoked' AND payload -> 'data' ->> 'userId' = $1
          ORDER BY created_at`,
        [userId],
      )
    ).rows.map((row: { reason: string }) => row.reason);

  it('refuses a correctly signed token without exp, over HTTP and on the socket handshake', async () => {
    const claims = { sub: adminId, role: 'admin', ver: 0, iat: Math.floor(Date.now() / 1000) };
    const withExp = signJwt({ ...claims, exp: claims.iat + 600 }, TEST_JWT_SECRET);
    const withoutExp = signJwt(claims, TEST_JWT_SECRET);
    await me(withExp).expect(200);
    const refused = await me(withoutExp).expect(401);
    expect(refused.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'a valid bearer token is required',
    });
    expect((await handshakeRefusal(baseUrl, { token: withoutExp })).message).toMatch(
      /unauthorized/,
    );
  });

  it('keeps a token from before a deactivation dead after the reactivation, and writes the outbox row', async () => {
    const student = await createUserWithRole(app, 'student', adminToken);
    await me(student.token).expect(200);
    await app
      .http()
      .patch(`/api/users/${student.id}`)
      .set(auth(adminToken))
      .send({ isActive: false })
      .expect(200);
    expect(await revocations(student.id)).toEqual(['deactivated']);
    await app
      .http()
      .patch(`/api/users/${student.id}`)
      .set(auth(adminToken))
      .send({ isActive: true })
      .expect(200);

    await me(student.token).expect(401);
    expect((await handshakeRefusal(baseUrl, { token: student.token })).message).toMatch(
      /unauthorized/,
    );
    const fresh = await login(app, student.email, student.password);
    await me(fresh).expect(200);
    // Reactivating is not a revocation: no second row.
    expect(await revocations(student.id)).toEqual(['deactivated']);
  });

  it('tells the sockets about a role change without killing the tokens', async () => {
    const user = await createUserWithRole(app, 'student', adminToken);
    await app
      .http()
      .patch(`/api/users/${user.id}`)
      .set(auth(adminToken))
      .send({ role: 'expert' })
      .expect(200);
    expect(await revocations(user.id)).toEqual(['role_changed']);
    expect((await me(user.token).expect(200)).body.role).toBe('expert');
  });

  it('logout revokes every token of the caller, on every device', async () => {
    const user = await createUserWithRole(app, 'student', adminToken);
    const otherDevice = await login(app, user.email, user.password);
    await app.http().post('/api/auth/logout').set(auth(user.token)).expect(204);
    await me(user.token).expect(401);
    await me(otherDevice).expect(401);
    await app.http().post('/api/auth/logout').set(auth(user.token)).expect(401);
    expect(await revocations(user.id)).toEqual(['tokens_revoked']);
    await me(await login(app, user.email, user.password)).expect(200);
  });

  it('an admin revokes a user’s tokens; 404 for an unknown user, 403 for others', async () => {
    const user = await createUserWithRole(app, 'sales', adminToken);
    await app.http().post(`/api/users/${adminId}/revoke-tokens`).set(auth(user.token)).expect(403);
    await app.http().post(`/api/users/${user.id}/revoke-tokens`).set(auth(adminToken)).expect(204);
    await me(user.token).expect(401);
    expect(await revocations(user.id)).toEqual(['tokens_revoked']);
    await me(adminToken).expect(200);
    await app
      .http()
      .post('/api/users/00000000-0000-4000-8000-000000000000/revoke-tokens')
      .set(auth(adminToken))
      .expect(404);
  });

  it.each([
    [{ isActive: false }, /cannot deactivate yourself/],
    [{ role: 'student' }, /cannot change your own role/],
    [{ role: 'sales', fullName: 'Renamed' }, /cannot change your own role/],
  ])(
    'refuses an admin changing themselves with %j (422, nothing changes)',
    async (body, message) => {
      const response = await app
        .http()
        .patch(`/api/users/${adminId}`)
        .set(auth(adminToken))
        .send(body)
        .expect(422);
      expect(response.body).toEqual({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: expect.stringMatching(message),
      });
      const row = await database.sql(
        `SELECT role, is_active, full_name, token_version FROM users WHERE id = $1`,
        [adminId],
      );
      expect(row.rows[0]).toEqual({
        role: 'admin',
        is_active: true,
        full_name: 'Administrator',
        token_version: 0,
      });
      expect(await revocations(adminId)).toEqual([]);
      await me(adminToken).expect(200);
    },
  );

  it('lets an admin rename themselves and deactivate another admin', async () => {
    await app
      .http()
      .patch(`/api/users/${adminId}`)
      .set(auth(adminToken))
      .send({ fullName: 'Administrator' })
      .expect(200);
    const other = await createUserWithRole(app, 'admin', adminToken);
    await app
      .http()
      .patch(`/api/users/${other.id}`)
      .set(auth(adminToken))
      .send({ isActive: false })
      .expect(200);
    await me(other.token).expect(401);
  });
});
