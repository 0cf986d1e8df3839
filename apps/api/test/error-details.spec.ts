import { randomUUID } from 'node:crypto';
import { responseValidatorOf } from '@mas/testing/openapi/response-validator.js';
import { fund } from '@mas/testing/ledger.js';
import { createSlot } from '@mas/testing/slots.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';

/** Every `details` the API sends is an array of `{ field?, message }` (API.md), whatever failed. */
describe('error details have one shape', () => {
  let database: TestDatabase;
  let app: TestApp;
  let adminToken: string;
  let validate: ReturnType<typeof responseValidatorOf>;

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database);
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    validate = responseValidatorOf((await app.http().get('/api/docs-json').expect(200)).body);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('a validation error: one entry per broken rule, the message without the field name', async () => {
    const response = await app
      .http()
      .post('/api/auth/register')
      .send({ email: 'not an email', password: 'long enough password', fullName: 'A', x: 1 })
      .expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'validation failed',
      details: expect.arrayContaining([
        { field: 'email', message: 'must be an email' },
        { field: 'x', message: 'property x should not exist' },
      ]),
    });
    expect(validate('POST /api/auth/register', 400, response.body)).toEqual([]);
  });

  it('a unique violation the database caught: 409 naming the fields, not the values', async () => {
    const lead = { fullName: 'Dup Lead', email: 'dup-lead@example.com', source: 'website' };
    const create = () => app.http().post('/api/crm/leads').set(bearer(adminToken)).send(lead);
    await create().expect(201);
    const duplicate = await create().expect(409);
    expect(duplicate.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'a record with the same values already exists',
      details: [{ message: 'the combination of source, email is already taken' }],
    });
    expect(JSON.stringify(duplicate.body)).not.toContain('dup-lead@example.com');
    expect(validate('POST /api/crm/leads', 409, duplicate.body)).toEqual([]);
  });

  describe('domain refusals', () => {
    let mentor: TestUser;
    let student: TestUser;

    beforeAll(async () => {
      mentor = await createUserWithRole(app, 'expert', adminToken);
      student = await createUserWithRole(app, 'student', adminToken);
      await fund(app, adminToken, student.id, 1);
    });

    const book = (slotId: string) =>
      app.http().post(`/api/mentorship/slots/${slotId}/book`).set(bearer(student.token));

    it('422 not enough tokens, then 409 a slot no longer bookable', async () => {
      const slot = await createSlot(app, mentor.token, { priceTokens: 2 });
      const short = await book(slot.id).expect(422);
      expect(short.body).toEqual({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'not enough tokens: balance 1, needed 2',
        details: [{ message: 'the balance is 1, 2 needed' }],
      });
      expect(validate('POST /api/mentorship/slots/{id}/book', 422, short.body)).toEqual([]);

      const cheap = await createSlot(app, mentor.token, { priceTokens: 1 });
      await book(cheap.id).expect(200);
      const again = await book(cheap.id).expect(409);
      expect(again.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        message: 'slot is confirmed; cannot book',
        details: [{ message: 'book needs a slot that is tentative' }],
      });
      expect(validate('POST /api/mentorship/slots/{id}/book', 409, again.body)).toEqual([]);
    });
  });

  it('a path parameter that is not a UUID: 400 naming the parameter', async () => {
    const user = await app
      .http()
      .patch('/api/users/not-a-uuid')
      .set(bearer(adminToken))
      .send({ isActive: false })
      .expect(400);
    expect(user.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'id must be a UUID',
      details: [{ field: 'id', message: 'must be a UUID' }],
    });
    expect(validate('PATCH /api/users/{id}', 400, user.body)).toEqual([]);

    const wallet = await app
      .http()
      .get('/api/finance/wallets/12345')
      .set(bearer(adminToken))
      .expect(400);
    expect(wallet.body).toMatchObject({
      message: 'userId must be a UUID',
      details: [{ field: 'userId', message: 'must be a UUID' }],
    });
    // A well-formed id still reaches the route.
    await app
      .http()
      .get(`/api/finance/wallets/${randomUUID()}`)
      .set(bearer(adminToken))
      .expect(404);
  });

  it('a cursor this API did not issue: 400 naming the cursor', async () => {
    const response = await app
      .http()
      .get('/api/users?cursor=bm90LWEtY3Vyc29y')
      .set(bearer(adminToken))
      .expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'cursor is invalid',
      details: [{ field: 'cursor', message: 'is not a cursor this API issued' }],
    });
    expect(validate('GET /api/users', 400, response.body)).toEqual([]);
  });

  it('a body that is not JSON: 400 saying so, without details', async () => {
    const response = await app
      .http()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email":')
      .expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'the request body is not valid JSON',
    });
    expect(validate('POST /api/auth/login', 400, response.body)).toEqual([]);
  });

  it('the document describes details as { field?, message } entries and nothing else', () => {
    const base = { statusCode: 400, error: 'Bad Request', message: 'validation failed' };
    expect(validate('GET /api/users', 400, { ...base, details: [{ message: 'ok' }] })).toEqual([]);
    expect(
      validate('GET /api/users', 400, { ...base, details: [{ field: 'q', errors: ['old'] }] }),
    ).not.toEqual([]);
    expect(validate('GET /api/users', 400, { ...base, details: { constraint: 'x' } })).not.toEqual(
      [],
    );
  });
});
