import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AddressInfo } from 'node:net';
import { FuzzTally } from '@mas/testing/fuzz/fuzz-tally.js';
import { type FuzzRequest, malformedRequests } from '@mas/testing/fuzz/malformed-requests.js';
import {
  type OpenApiDocument,
  type Operation,
  operationsOf,
  resolverOf,
} from '@mas/testing/fuzz/openapi-operations.js';
import { closeRawAgent, type RawResponse, sendRaw } from '@mas/testing/fuzz/raw-http.js';
import { errorBodyValidatorOf } from '@mas/testing/openapi/response-validator.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';

/** Fixed: a failure names its input, and the same inputs come back on every run. */
const SEED = 20_240_611;
const RUNS_PER_CATEGORY = 2;
const PARALLEL_REQUESTS = 6;
/** The whole spec used ~27 s of CPU when measured; the rest is room for a loaded machine. */
const FUZZ_TIMEOUT_MS = 240_000;
/** Operations that revoke the caller's tokens: they get a throwaway student's token each time. */
const REVOKES_CALLER = new Set(['POST /api/auth/logout']);
const THROWAWAY = { email: 'throwaway@fuzz.test', password: 'throwaway password' };
/** Kinds whose every request carries NUL, a lone surrogate, too deep a body or a bad escape. */
const UNSAFE_KINDS = new Set([
  'path-parameter',
  'query-nul',
  'query-malformed-escape',
  'body-nul',
  'body-lone-surrogate',
  'body-deep',
  'body-deep-jsonb',
  'body-deep-root',
]);
/** Tables the app writes in the background, not on a request's behalf. */
const BACKGROUND_TABLES = [
  'public.migrations',
  'public.outbox_messages',
  'public.email_deliveries',
];

interface Failure {
  operation: string;
  kind: string;
  auth: string;
  method: string;
  path: string;
  contentType?: string;
  body?: string;
  status: number;
  response: string;
  /** For a 4xx: how its body breaks the documented `ErrorResponse`. */
  contract?: string[];
}

async function rowCounts(database: TestDatabase): Promise<Record<string, number>> {
  const tables = await database.sql(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
        AND table_schema || '.' || table_name <> ALL ($1)`,
    [BACKGROUND_TABLES],
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows as { name: string }[]) {
    const [schema, table] = name.split('.');
    const result = await database.sql(`SELECT count(*)::int AS n FROM "${schema}"."${table}"`);
    counts[name] = (result.rows[0] as { n: number }).n;
  }
  return counts;
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

const preview = (text: string | undefined) =>
  text === undefined
    ? undefined
    : text.length > 200
      ? `${text.slice(0, 200)}… (${text.length} chars)`
      : text;

describe('fuzz: every OpenAPI operation, malformed input, with and without a token', () => {
  let database: TestDatabase;
  let app: TestApp;
  let port: number;
  let adminToken: string;
  let operations: Operation[];
  let resolve: ReturnType<typeof resolverOf>;
  let errorBodyProblems: ReturnType<typeof errorBodyValidatorOf>;
  const tally = new FuzzTally();
  const failures: Failure[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database, { APP_ROLE: 'api', LOG_LEVEL: 'warn' });
    await app.app.listen(0, '127.0.0.1');
    port = (app.app.getHttpServer().address() as AddressInfo).port;
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    await app
      .http()
      .post('/api/auth/register')
      .send({ ...THROWAWAY, fullName: 'Throwaway' })
      .expect(201);
    const document = (await app.http().get('/api/docs-json').expect(200)).body as OpenApiDocument;
    operations = operationsOf(document);
    resolve = resolverOf(document);
    errorBodyProblems = errorBodyValidatorOf(document);
  });

  afterAll(async () => {
    closeRawAgent();
    await app?.close();
    await database?.drop();
  });

  async function send(operation: Operation, request: FuzzRequest, token?: string): Promise<void> {
    const headers: Record<string, string> = {};
    if (request.contentType) headers['Content-Type'] = request.contentType;
    if (token) {
      const caller = REVOKES_CALLER.has(operation.name)
        ? await login(app, THROWAWAY.email, THROWAWAY.password)
        : token;
      headers.Authorization = `Bearer ${caller}`;
    }
    let response: RawResponse;
    try {
      response = await sendRaw(port, { ...request, headers });
    } catch (error) {
      response = { status: 599, body: `no response: ${String(error)}` };
    }
    tally.record(operation.name, request.kind, response.status);
    const contract = response.status >= 500 ? [] : contractProblems(response);
    if (response.status >= 500 || contract.length) {
      failures.push({
        operation: operation.name,
        kind: request.kind,
        auth: token ? 'admin' : 'none',
        method: request.method,
        path: preview(request.path)!,
        contentType: request.contentType,
        body: preview(request.body),
        status: response.status,
        response: preview(response.body)!,
        ...(contract.length ? { contract } : {}),
      });
    }
  }

  /** A 4xx body is the documented `ErrorResponse`: `details`, if any, `{ field?, message }[]`. */
  function contractProblems(response: RawResponse): string[] {
    if (response.status < 400) return [];
    try {
      return errorBodyProblems(JSON.parse(response.body));
    } catch {
      return [`not JSON: ${preview(response.body)}`];
    }
  }

  /** The token-bearing requests reached validation as an admin: nothing revoked the token. */
  async function expectAdminTokenStillValid(): Promise<void> {
    await app.http().get('/api/users/me').set('Authorization', `Bearer ${adminToken}`).expect(200);
  }

  async function fuzz(selectKind: (kind: string) => boolean): Promise<void> {
    const sends = operations.flatMap((operation, index) =>
      malformedRequests(operation, resolve, {
        seed: SEED + index * 100,
        runsPerCategory: RUNS_PER_CATEGORY,
      })
        .filter((request) => selectKind(request.kind))
        .flatMap((request, position) => [
          () => send(operation, request, adminToken),
          // Without a token, the first sample of each category is enough to show the boundary
          // holds before authentication too.
          ...(position % RUNS_PER_CATEGORY === 0 ? [() => send(operation, request)] : []),
        ]),
    );
    await inParallel(sends, PARALLEL_REQUESTS, (sendOne) => sendOne());
  }

  it('finds every operation in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(60);
    expect(operations.map((operation) => operation.name)).toEqual(
      expect.arrayContaining(['POST /api/auth/register', 'POST /api/lms/applications']),
    );
  });

  it(
    'answers NUL, lone surrogates, deep nesting and malformed escapes with a documented 4xx body and writes nothing',
    async () => {
      const before = await rowCounts(database);
      await fuzz((kind) => UNSAFE_KINDS.has(kind));
      expect(failures).toEqual([]);
      await expectAdminTokenStillValid();
      expect(await rowCounts(database)).toEqual(before);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'answers wrong types, huge strings, arrays, null, non-JSON and extra fields with a documented 4xx body',
    async () => {
      await fuzz((kind) => !UNSAFE_KINDS.has(kind));
      expect(failures).toEqual([]);
      await expectAdminTokenStillValid();
    },
    FUZZ_TIMEOUT_MS,
  );

  it('sent every kind of input to every operation, and reports the totals', () => {
    const summaryFile = join(tmpdir(), `fuzz-summary-${process.pid}.json`);
    writeFileSync(summaryFile, JSON.stringify(tally.summary(), null, 2));
    console.log(
      `fuzz: ${tally.total} requests to ${Object.keys(tally.perOperation).length} operations (seed ${SEED})\n` +
        `per status: ${JSON.stringify(tally.perStatus)}\n${tally.table('kind')}\n` +
        `${tally.table()}\nsummary: ${summaryFile}`,
    );
    expect(Object.keys(tally.perOperation)).toHaveLength(operations.length);
    expect(Object.keys(tally.perStatus).every((status) => Number(status) < 500)).toBe(true);
    expect(tally.perKind['body-deep'].requests).toBeGreaterThanOrEqual(operations.length * 2);
  });
});
