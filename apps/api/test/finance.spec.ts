import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';
import { fund, ledgerViolations } from '@mas/testing/ledger.js';

describe('finance: wallets, ledger, allotments', () => {
  let database: TestDatabase;
  let app: TestApp;
  let adminToken: string;
  let student: TestUser;
  let salesHead: TestUser;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database);
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    student = await createUserWithRole(app, 'student', adminToken);
    salesHead = await createUserWithRole(app, 'sales_head', adminToken);
  });

  afterEach(async () => {
    expect(await ledgerViolations(database)).toEqual([]);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('gives every user a zero wallet, the seeded admin and self-registered students included', async () => {
    await app
      .http()
      .post('/api/auth/register')
      .send({ email: 'wallet@example.com', password: 'long enough pw', fullName: 'W' })
      .expect(201);
    const missing = await database.sql(
      `SELECT u.email FROM users u LEFT JOIN token_wallets w ON w.user_id = u.id WHERE w.user_id IS NULL`,
    );
    expect(missing.rows).toEqual([]);
    const wallet = await app.http().get('/api/finance/wallet').set(auth(student.token)).expect(200);
    expect(wallet.body).toEqual({ userId: student.id, balance: 0 });
  });

  it('creates the wallet in the same transaction as the user: when the wallet insert fails, there is no user', async () => {
    await database.sql(`CREATE FUNCTION refuse_wallet() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'wallets are switched off' USING ERRCODE = 'P0001'; END $$`);
    await database.sql(
      `CREATE TRIGGER refuse_wallet BEFORE INSERT ON token_wallets FOR EACH ROW EXECUTE FUNCTION refuse_wallet()`,
    );
    try {
      await app
        .http()
        .post('/api/auth/register')
        .send({ email: 'no-wallet@example.com', password: 'long enough pw', fullName: 'N' })
        .expect(422);
    } finally {
      await database.sql(`DROP TRIGGER refuse_wallet ON token_wallets`);
      await database.sql(`DROP FUNCTION refuse_wallet()`);
    }
    const user = await database.sql(`SELECT 1 FROM users WHERE email = 'no-wallet@example.com'`);
    expect(user.rowCount).toBe(0);
  });

  it('approves an allotment once: one credit, one ledger row; approving again is a 409', async () => {
    const request = await app
      .http()
      .post('/api/finance/allotments')
      .set(auth(salesHead.token))
      .send({ userId: student.id, tokens: 7, reason: 'welcome pack' })
      .expect(201);
    expect(request.body).toMatchObject({
      status: 'pending',
      tokens: 7,
      requestedById: salesHead.id,
    });
    await app
      .http()
      .post(`/api/finance/allotments/${request.body.id}/approve`)
      .set(auth(salesHead.token))
      .expect(403);

    const approved = await app
      .http()
      .post(`/api/finance/allotments/${request.body.id}/approve`)
      .set(auth(adminToken))
      .expect(200);
    expect(approved.body.status).toBe('approved');
    const again = await app
      .http()
      .post(`/api/finance/allotments/${request.body.id}/approve`)
      .set(auth(adminToken))
      .expect(409);
    expect(again.body.message).toBe('allotment request is already approved');

    const wallet = await app.http().get('/api/finance/wallet').set(auth(student.token)).expect(200);
    expect(wallet.body.balance).toBe(7);
    const ledger = await app.http().get('/api/finance/ledger').set(auth(student.token)).expect(200);
    expect(ledger.body.items).toHaveLength(1);
    expect(ledger.body.items[0]).toMatchObject({
      usageType: 'allotment',
      delta: 7,
      balanceBefore: 0,
      balanceAfter: 7,
      userId: student.id,
    });
  });

  it('credits exactly once when two admins approve the same request at the same moment', async () => {
    const target = await createUserWithRole(app, 'student', adminToken);
    const request = await app
      .http()
      .post('/api/finance/allotments')
      .set(auth(adminToken))
      .send({ userId: target.id, tokens: 5, reason: 'race' })
      .expect(201);
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        app.http().post(`/api/finance/allotments/${request.body.id}/approve`).set(auth(adminToken)),
      ),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([
      200, 409, 409, 409, 409, 409, 409, 409,
    ]);
    const rows = await database.sql(`SELECT delta FROM token_usages WHERE user_id = $1`, [
      target.id,
    ]);
    expect(rows.rows).toEqual([{ delta: 5 }]);
    const wallet = await database.sql(`SELECT balance FROM token_wallets WHERE user_id = $1`, [
      target.id,
    ]);
    expect(wallet.rows[0].balance).toBe(5);
  });

  it('rejects a request with a note and never credits it', async () => {
    const request = await app
      .http()
      .post('/api/finance/allotments')
      .set(auth(adminToken))
      .send({ userId: student.id, tokens: 3, reason: 'maybe' })
      .expect(201);
    await app
      .http()
      .post(`/api/finance/allotments/${request.body.id}/reject`)
      .set(auth(adminToken))
      .send({})
      .expect(400);
    const rejected = await app
      .http()
      .post(`/api/finance/allotments/${request.body.id}/reject`)
      .set(auth(adminToken))
      .send({ note: 'no budget' })
      .expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decisionNote: 'no budget' });
    await app
      .http()
      .post(`/api/finance/allotments/${request.body.id}/approve`)
      .set(auth(adminToken))
      .expect(409);
    const rows = await database.sql(`SELECT 1 FROM token_usages WHERE note LIKE $1`, [
      `allotment ${request.body.id}%`,
    ]);
    expect(rows.rowCount).toBe(0);
  });

  it('validates allotment requests and restricts who may make them', async () => {
    const bad = await app
      .http()
      .post('/api/finance/allotments')
      .set(auth(adminToken))
      .send({ userId: 'x', tokens: 0, reason: '' })
      .expect(400);
    expect(bad.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      'reason',
      'tokens',
      'userId',
    ]);
    await app
      .http()
      .post('/api/finance/allotments')
      .set(auth(student.token))
      .send({ userId: student.id, tokens: 5, reason: 'me' })
      .expect(403);
    await app
      .http()
      .post('/api/finance/allotments')
      .set(auth(adminToken))
      .send({ userId: '00000000-0000-4000-8000-000000000000', tokens: 5, reason: 'ghost' })
      .expect(422);
    await app
      .http()
      .post('/api/finance/allotments/00000000-0000-4000-8000-000000000000/approve')
      .set(auth(adminToken))
      .expect(404);
  });

  it("shows your own ledger, an admin any user's, and nobody else's", async () => {
    await app
      .http()
      .get('/api/finance/ledger')
      .query({ userId: student.id })
      .set(auth(salesHead.token))
      .expect(403);
    const asAdmin = await app
      .http()
      .get('/api/finance/ledger')
      .query({ userId: student.id })
      .set(auth(adminToken))
      .expect(200);
    expect(
      asAdmin.body.items.every((entry: { userId: string }) => entry.userId === student.id),
    ).toBe(true);
    await app
      .http()
      .get(`/api/finance/wallets/${student.id}`)
      .set(auth(salesHead.token))
      .expect(403);
    const wallet = await app
      .http()
      .get(`/api/finance/wallets/${student.id}`)
      .set(auth(adminToken))
      .expect(200);
    expect(wallet.body.userId).toBe(student.id);
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE on the ledger, and deleting a user with ledger rows', async () => {
    await fund(app, adminToken, student.id, 1);
    await expect(database.sql(`UPDATE token_usages SET delta = delta + 1`)).rejects.toThrow(
      /append-only: UPDATE/,
    );
    await expect(database.sql(`DELETE FROM token_usages`)).rejects.toThrow(/append-only: DELETE/);
    await expect(database.sql(`TRUNCATE token_usages`)).rejects.toThrow(/append-only: TRUNCATE/);
    await expect(
      database.sql(`UPDATE token_wallets SET balance = -1 WHERE user_id = $1`, [student.id]),
    ).rejects.toThrow(/chk_token_wallets_balance_not_negative/);
    await expect(database.sql(`DELETE FROM users WHERE id = $1`, [student.id])).rejects.toThrow(
      /foreign key/,
    );
    const rows = await database.sql(
      `SELECT count(*)::int AS n FROM token_usages WHERE user_id = $1`,
      [student.id],
    );
    expect(rows.rows[0].n).toBeGreaterThan(0);
  });
});
