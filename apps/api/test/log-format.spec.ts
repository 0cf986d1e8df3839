import { Writable } from 'node:stream';
import { ConfigError } from '@mas/persistence';
import { pino } from 'pino';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { startTestApp, type TestApp } from '@mas/testing/test-app.js';
import { loadAppConfig } from '../src/config/app-config.js';
import { chooseLogFormat, formattedDestination } from '../src/logging/log-format.js';

const isJson = (line: string) => {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
};

/** A stream that records what it is given and says whether it is a terminal. */
function capture(isTTY: boolean) {
  const lines: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    }),
    { isTTY },
  );
  return { stream, lines };
}

describe('LOG_FORMAT', () => {
  it.each([
    [undefined, 'development', true, 'pretty'],
    [undefined, 'test', true, 'pretty'],
    [undefined, 'development', false, 'json'],
    [undefined, 'production', true, 'json'],
    ['json', 'development', true, 'json'],
    ['pretty', 'production', false, 'pretty'],
  ] as const)(
    'LOG_FORMAT=%s, NODE_ENV=%s, terminal %s → %s',
    (logFormat, nodeEnv, tty, expected) => {
      expect(chooseLogFormat({ logFormat, nodeEnv }, tty)).toBe(expected);
    },
  );

  it('accepts json and pretty, refuses anything else naming the variable', () => {
    expect(loadAppConfig({}).logFormat).toBeUndefined();
    expect(loadAppConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadAppConfig({ LOG_FORMAT: 'xml' })).toThrow(ConfigError);
    expect(() => loadAppConfig({ LOG_FORMAT: 'xml' })).toThrow(
      'Invalid configuration: LOG_FORMAT must be one of json, pretty, got "xml"',
    );
  });

  it.each([
    [true, 'pretty'],
    [false, 'json'],
  ] as const)('in development, a terminal=%s destination gets %s lines', (tty, format) => {
    const { stream, lines } = capture(tty);
    const config = loadAppConfig({ NODE_ENV: 'development' });
    pino(formattedDestination(config, stream)).info('hello from the test');
    const line = lines.find((text) => text.includes('hello from the test'));
    expect(line).toBeDefined();
    expect(isJson(line!)).toBe(format === 'json');
    // Colors only for a terminal.
    expect(line!.includes('\u001b[')).toBe(tty);
  });

  describe('on the running API', () => {
    let database: TestDatabase;
    let app: TestApp | undefined;

    beforeAll(async () => {
      database = await createTestDatabase({ migrated: true });
    });

    afterAll(async () => {
      await app?.close();
      await database?.drop();
    });

    it('LOG_FORMAT=pretty turns request logs into readable lines, request id kept, secrets redacted', async () => {
      app = await startTestApp(database, { APP_ROLE: 'api', LOG_FORMAT: 'pretty' });
      await app
        .http()
        .get('/api/users/me')
        .set('X-Request-Id', 'pretty-request-1')
        .set('Authorization', 'Bearer secret-token-value')
        .expect(401);
      const lines = app.logs.filter((line) => line.includes('pretty-request-1'));
      expect(lines.length).toBeGreaterThan(0);
      expect(app.logs.every((line) => !isJson(line))).toBe(true);
      // The level and message on one line, the request's fields indented below it.
      expect(app.logs.join('\n')).toMatch(
        /WARN[^\n]*: request (completed|errored)\n\s+req: \{\n\s+"id": "pretty-request-1"/,
      );
      expect(app.logs.join('\n')).not.toContain('secret-token-value');
    });
  });
});
