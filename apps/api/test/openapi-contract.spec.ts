import { randomUUID } from 'node:crypto';
import { checkContract, type ContractDocument } from '@mas/testing/openapi/contract-check.js';
import { responseValidatorOf } from '@mas/testing/openapi/response-validator.js';
import { routeAccessOf } from '@mas/testing/openapi/route-access.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { API_PREFIX } from '../src/configure-app.js';

describe('the OpenAPI document is the contract', () => {
  let database: TestDatabase;
  let app: TestApp;
  let document: ContractDocument;
  let validate: ReturnType<typeof responseValidatorOf>;
  let adminToken: string;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database);
    document = (await app.http().get('/api/docs-json').expect(200)).body as ContractDocument;
    validate = responseValidatorOf(document);
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('documents a success schema, the error responses and the roles of every operation', () => {
    const coverage = checkContract(document, routeAccessOf(app.app, API_PREFIX));
    process.stdout.write(
      `OpenAPI coverage: ${coverage.withSuccessSchema} with success schema, ` +
        `${coverage.withErrorResponses} with error responses, of ${coverage.total} operations\n`,
    );
    expect(coverage.problems).toEqual([]);
    expect(coverage.total).toBeGreaterThan(60);
  });

  describe('real responses match the document', () => {
    const credentials = { email: 'contract@test.local', password: 'contract password 1' };

    it('register (201) and login (200)', async () => {
      const registered = await app
        .http()
        .post('/api/auth/register')
        .send({ ...credentials, fullName: 'Contract Student' })
        .expect(201);
      expect(validate('POST /api/auth/register', 201, registered.body)).toEqual([]);

      const loggedIn = await app.http().post('/api/auth/login').send(credentials).expect(200);
      expect(validate('POST /api/auth/login', 200, loggedIn.body)).toEqual([]);
    });

    it('a page of users (200)', async () => {
      const page = await app.http().get('/api/users?limit=2').set(bearer(adminToken)).expect(200);
      expect((page.body as { items: unknown[] }).items.length).toBeGreaterThan(0);
      expect(validate('GET /api/users', 200, page.body)).toEqual([]);
    });

    it('a validation 400, a 401, a 403 and a 404', async () => {
      const invalid = await app
        .http()
        .post('/api/auth/register')
        .send({ email: 'not an email', password: 'x' })
        .expect(400);
      expect(validate('POST /api/auth/register', 400, invalid.body)).toEqual([]);

      const anonymous = await app.http().get('/api/users/me').expect(401);
      expect(validate('GET /api/users/me', 401, anonymous.body)).toEqual([]);

      const student = await login(app, credentials.email, credentials.password);
      const forbidden = await app.http().get('/api/users').set(bearer(student)).expect(403);
      expect(validate('GET /api/users', 403, forbidden.body)).toEqual([]);

      const missing = await app
        .http()
        .get(`/api/lms/applications/${randomUUID()}`)
        .set(bearer(adminToken))
        .expect(404);
      expect(validate('GET /api/lms/applications/{id}', 404, missing.body)).toEqual([]);
    });

    it('catches a body that breaks the document', () => {
      const leaked = { ...validUser(), passwordHash: 'scrypt$…' };
      expect(validate('GET /api/users/me', 200, leaked)).toEqual([
        'GET /api/users/me 200: body should NOT have additional properties',
      ]);
      expect(validate('GET /api/users/me', 200, { ...validUser(), role: 'root' })).toEqual([
        'GET /api/users/me 200: body.role should be equal to one of the allowed values',
      ]);
    });
  });
});

function validUser() {
  return {
    id: randomUUID(),
    email: 'a@b.c',
    fullName: 'A',
    role: 'student',
    stage: 'registered',
    isActive: true,
    salesHeadId: null,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };
}
