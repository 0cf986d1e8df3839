import { type AddressInfo } from 'node:net';
import { deepJson } from '@mas/testing/fuzz/malformed-requests.js';
import { closeRawAgent, sendRaw } from '@mas/testing/fuzz/raw-http.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';

const JSON_TYPE = { 'Content-Type': 'application/json' };

describe('input boundary (MAX_JSON_DEPTH=10)', () => {
  let database: TestDatabase;
  let app: TestApp;
  let port: number;
  let adminToken: string;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database, { APP_ROLE: 'api', MAX_JSON_DEPTH: '10' });
    await app.app.listen(0, '127.0.0.1');
    port = (app.app.getHttpServer().address() as AddressInfo).port;
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
  });

  afterAll(async () => {
    closeRawAgent();
    await app?.close();
    await database?.drop();
  });

  const userCount = async () =>
    Number((await database.sql('SELECT count(*) AS n FROM users')).rows[0].n);
  const send = (
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = JSON_TYPE,
  ) =>
    sendRaw(port, { method, path, body, headers }).then((response) => ({
      status: response.status,
      body: JSON.parse(response.body) as unknown,
    }));
  const register = (fields: string) => send('POST', '/api/auth/register', `{${fields}}`);
  const registration = '"email":"nul@example.com","password":"long-enough-1"';

  it('refuses a NUL in a body field with a 400 naming the field, and registers no one', async () => {
    const before = await userCount();
    expect(await register(`${registration},"fullName":"a\\u0000b"`)).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'validation failed',
        details: [{ field: 'fullName', message: 'must not contain NUL characters' }],
      },
    });
    expect(await userCount()).toBe(before);
  });

  it('refuses a lone surrogate in an email, and accepts an emoji in a name', async () => {
    const lone = await register(
      '"email":"\\ud800@example.com","password":"long-enough-1","fullName":"x"',
    );
    expect(lone).toMatchObject({
      status: 400,
      body: {
        details: [{ field: 'email', message: 'must not contain unpaired UTF-16 surrogates' }],
      },
    });
    const emoji = await register(
      '"email":"emoji@example.com","password":"long-enough-1","fullName":"Asha \\ud83d\\ude00"',
    );
    expect(emoji).toMatchObject({ status: 201, body: { fullName: 'Asha 😀' } });
  });

  it('names a NUL deep inside a jsonb field, and bounds the depth by MAX_JSON_DEPTH', async () => {
    const auth = { ...JSON_TYPE, Authorization: `Bearer ${adminToken}` };
    const start = (context: string) =>
      send(
        'POST',
        '/api/workflow/runs',
        `{"definitionKey":"k","subjectType":"t","subjectId":"s","context":${context}}`,
        auth,
      );
    expect(await start('{"a":{"b":["ok","x\\u0000"]}}')).toMatchObject({
      status: 400,
      body: { details: [{ field: 'context.a.b.1', message: 'must not contain NUL characters' }] },
    });
    expect(await start(deepJson(5_000, 'object'))).toMatchObject({
      status: 400,
      body: { details: [{ message: 'must not be nested deeper than 10 levels' }] },
    });
    // 9 levels of context inside the body object: exactly the bound, so validation runs (404: no such definition).
    expect((await start(deepJson(9, 'object'))).status).toBe(404);
  });

  it('refuses NUL and malformed escapes in the query and the path with a 400, never a URIError 500', async () => {
    const auth = { Authorization: `Bearer ${adminToken}` };
    expect(await send('GET', '/api/users?q=a%00b', undefined, auth)).toMatchObject({
      status: 400,
      body: { details: [{ field: 'q', message: 'must not contain NUL characters' }] },
    });
    expect(await send('GET', '/api/users?q=%E0%A4%A', undefined, auth)).toMatchObject({
      status: 400,
      body: { details: [{ field: 'q', message: 'has a malformed percent-escape' }] },
    });
    for (const segment of ['%ZZ', '%ED%A0%80', 'a%00b']) {
      const response = await send('PATCH', `/api/users/${segment}`, '{}', {
        ...JSON_TYPE,
        ...auth,
      });
      expect(response).toMatchObject({ status: 400, body: { details: [{ field: 'path' }] } });
    }
  });

  it('answers parser failures with their 4xx in the shared error body', async () => {
    expect(await send('POST', '/api/auth/login', '{"email":')).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'the request body is not valid JSON',
      },
    });
    expect(
      await send('POST', '/api/auth/login', '{}', {
        'Content-Type': 'application/json; charset=koi8-r',
      }),
    ).toEqual({
      status: 415,
      body: {
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: 'unsupported charset "KOI8-R"',
      },
    });
    const huge = await send(
      'POST',
      '/api/auth/login',
      JSON.stringify({ email: 'x'.repeat(120_000) }),
    );
    expect(huge).toEqual({
      status: 413,
      body: {
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'the request body is too large (limit 102400 bytes)',
      },
    });
  });

  it('keeps the 10 MB limit of the lead import, and lists a CSV row with a NUL as invalid', async () => {
    const auth = { Authorization: `Bearer ${adminToken}` };
    const rows = Array.from({ length: 2_000 }, (_, i) => ({
      fullName: `Big Import ${i}`.padEnd(60, '.'),
      email: `big-${i}@example.com`,
      source: 'boundary-test',
    }));
    const big = JSON.stringify(rows);
    expect(big.length).toBeGreaterThan(100_000);
    expect(
      await send('POST', '/api/crm/leads/import', big, { ...JSON_TYPE, ...auth }),
    ).toMatchObject({ status: 200, body: { inserted: 2_000 } });

    const csv = 'fullName,source\nGood Row,boundary-csv\n"Bad \u0000 Row",boundary-csv\n';
    expect(
      await send('POST', '/api/crm/leads/import', csv, { 'Content-Type': 'text/csv', ...auth }),
    ).toMatchObject({
      status: 200,
      body: {
        inserted: 1,
        invalid: [{ row: 2, reason: 'fullName must not contain NUL characters' }],
      },
    });
  });
});
