import { request, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { ConfigError } from '@mas/persistence';
import { dripRequest } from '@mas/testing/raw-http.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { loadAppConfig } from '../src/config/app-config.js';

// Short, yet long enough for a 10 MB upload from a loaded machine to finish inside it.
const REQUEST_TIMEOUT_MS = 5000;
const HEADERS_TIMEOUT_MS = 1000;
const KEEP_ALIVE_TIMEOUT_MS = 2000;
const MAX_REQUESTS_PER_SOCKET = 3;

const liveRequest = 'GET /api/health/live HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n';

describe('HTTP server limits on the listening API', () => {
  let database: TestDatabase;
  let app: TestApp;
  let port: number;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database, {
      APP_ROLE: 'api',
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
      HTTP_MAX_REQUESTS_PER_SOCKET: String(MAX_REQUESTS_PER_SOCKET),
    });
    await app.app.listen(0, '127.0.0.1');
    port = ((app.app.getHttpServer() as Server).address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('cuts off a client that sends its body one byte a second (408) after the request timeout', async () => {
    const body = JSON.stringify({ email: 'slow@test.local', password: 'x'.repeat(40) });
    const exchange = await dripRequest(
      port,
      'POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${body.length}\r\n\r\n`,
      { chunk: 'x', everyMs: 1000, capMs: 30_000 },
    );
    expect(exchange.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(exchange.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    // Cut well before the client would have finished (one byte a second) or given up.
    expect(exchange.closedAfterMs).toBeLessThan(body.length * 1000);
    expect(exchange.closedAfterMs).toBeLessThan(30_000);
  });

  it('cuts off a client that sends its headers one line at a time (408) after the headers timeout', async () => {
    const exchange = await dripRequest(port, 'GET /api/health/live HTTP/1.1\r\nHost: x\r\n', {
      chunk: 'X-Slow: 1\r\n',
      everyMs: 200,
      capMs: 30_000,
    });
    expect(exchange.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(exchange.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(exchange.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 1000);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const exchange = await dripRequest(port, liveRequest, {
      chunk: '',
      everyMs: 60_000,
      capMs: 30_000,
    });
    expect(exchange.received).toMatch(/^HTTP\/1\.1 200 /);
    expect(exchange.received).toMatch(/Keep-Alive: timeout=2\b/i);
    expect(exchange.closedAfterMs).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS - 100);
    expect(exchange.closedAfterMs).toBeLessThan(30_000);
  });

  it('ends a keep-alive connection after the maximum number of requests', async () => {
    const exchange = await dripRequest(port, liveRequest.repeat(MAX_REQUESTS_PER_SOCKET + 1), {
      chunk: '',
      everyMs: 60_000,
      capMs: 30_000,
    });
    const answers = exchange.received.split(/(?=HTTP\/1\.1 )/);
    expect(answers.slice(0, MAX_REQUESTS_PER_SOCKET).map((answer) => answer.slice(0, 15))).toEqual(
      Array(MAX_REQUESTS_PER_SOCKET).fill('HTTP/1.1 200 OK'),
    );
    expect(answers[MAX_REQUESTS_PER_SOCKET - 1]).toMatch(/Connection: close/i);
    // A request past the limit on the same connection is refused, not served.
    expect(answers.slice(MAX_REQUESTS_PER_SOCKET).map((answer) => answer.slice(0, 12))).toEqual([
      'HTTP/1.1 503',
    ]);
    expect(exchange.closedAfterMs).toBeLessThan(30_000);
  });

  it('still takes a 10 MB lead import within the request timeout', async () => {
    const token = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    const rows: object[] = [];
    let size = 2;
    const padding = 'n'.repeat(185);
    for (let i = 0; size < 9.5 * 1024 * 1024; i++) {
      const row = {
        fullName: `Lead ${i} ${padding}`,
        email: `lead-${i}@import.test`,
        source: 'http-limits',
      };
      rows.push(row);
      size += JSON.stringify(row).length + 1;
    }
    const body = JSON.stringify(rows);
    expect(body.length).toBeGreaterThan(9 * 1024 * 1024);
    const started = performance.now();
    let uploadMs = 0;
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const outgoing = request(
        {
          port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/api/crm/leads/import',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        },
      );
      outgoing.on('error', reject);
      outgoing.on('finish', () => (uploadMs = performance.now() - started));
      outgoing.end(body);
    });
    console.log(
      `10 MB import: ${(body.length / 1024 / 1024).toFixed(1)} MB uploaded in ${Math.round(uploadMs)} ms, answered in ${Math.round(performance.now() - started)} ms`,
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ inserted: rows.length, invalid: [] });
  }, 120_000);

  it.each([
    [
      { HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '4000' },
      'must not exceed HTTP_REQUEST_TIMEOUT_MS',
    ],
    [{ HTTP_REQUEST_TIMEOUT_MS: '0' }, 'HTTP_REQUEST_TIMEOUT_MS must be between 1'],
    [{ HTTP_KEEP_ALIVE_TIMEOUT_MS: 'long' }, 'HTTP_KEEP_ALIVE_TIMEOUT_MS must be an integer'],
    [{ HTTP_MAX_REQUESTS_PER_SOCKET: '0' }, 'HTTP_MAX_REQUESTS_PER_SOCKET must be between 1'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY must be a hop count'],
    [{ TRUST_PROXY: 'proxy.example.com' }, 'TRUST_PROXY must be a hop count'],
    [{ TRUST_PROXY: '10.0.0.0/8,300.1.1.1' }, 'TRUST_PROXY must be a hop count'],
  ])('refuses %j at boot', (env, message) => {
    expect(() => loadAppConfig(env)).toThrow(ConfigError);
    expect(() => loadAppConfig(env)).toThrow(message);
  });

  it('defaults to 10 s for headers, 30 s per request, 5 s keep-alive', () => {
    expect(loadAppConfig({}).http).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxRequestsPerSocket: 1_000,
    });
  });

  it.each([
    [{}, false],
    [{ TRUST_PROXY: '1' }, 1],
    [{ TRUST_PROXY: 'loopback, 10.0.0.0/8' }, 'loopback,10.0.0.0/8'],
    [{ TRUST_PROXY: '::1' }, '::1'],
  ])('reads TRUST_PROXY %j as %j', (env, trustProxy) => {
    expect(loadAppConfig(env).trustProxy).toEqual(trustProxy);
  });
});
