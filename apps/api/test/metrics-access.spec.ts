import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { ConfigError } from '@mas/persistence';
import request from 'supertest';
import { appsOnMigratedDatabase } from '@mas/testing/app-fixture.js';
import { stopWithQueues, testEnv } from '@mas/testing/test-app.js';
import { loadAppConfig } from '../src/config/app-config.js';
import { WorkerHealthServer } from '../src/jobs/worker-health/worker-health.server.js';
import { metricsAccess } from '../src/metrics/metrics-access.js';
import { createWorkerApp } from '../src/worker.js';

const TOKEN = 'metrics-test-token-0123456789abcdef';
const UNAUTHORIZED = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'a valid metrics token is required',
};

describe('metrics access (METRICS_TOKEN)', () => {
  it.each([
    ['development', undefined, undefined, 'allowed'],
    ['test', undefined, 'Bearer anything', 'allowed'],
    ['production', undefined, undefined, 'disabled'],
    ['production', undefined, `Bearer ${TOKEN}`, 'disabled'],
    ['production', TOKEN, `Bearer ${TOKEN}`, 'allowed'],
    ['development', TOKEN, `bearer ${TOKEN}`, 'allowed'],
    ['production', TOKEN, undefined, 'unauthorized'],
    ['production', TOKEN, `Bearer ${TOKEN}x`, 'unauthorized'],
    ['production', TOKEN, `Bearer ${TOKEN.slice(0, -1)}`, 'unauthorized'],
    ['production', TOKEN, TOKEN, 'unauthorized'],
    ['development', TOKEN, `Basic ${TOKEN}`, 'unauthorized'],
  ] as const)('%s, token %s, Authorization %s → %s', (nodeEnv, metricsToken, header, expected) => {
    expect(metricsAccess({ nodeEnv, metricsToken }, header)).toBe(expected);
  });

  it('refuses a METRICS_TOKEN shorter than 16 characters at boot', () => {
    expect(() => loadAppConfig({ METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadAppConfig({ METRICS_TOKEN: 'short' })).toThrow(
      'METRICS_TOKEN must be at least 16 characters',
    );
  });

  describe('on the API and a worker', () => {
    const prefix = `metrics-access-${randomUUID()}`;
    const fixture = appsOnMigratedDatabase({ APP_ROLE: 'api', BULLMQ_PREFIX: prefix });
    const { boot } = fixture;

    it('with METRICS_TOKEN set: 401 without revealing anything unless the bearer token matches', async () => {
      const app = await boot({ METRICS_TOKEN: TOKEN });
      for (const header of [undefined, 'Bearer wrong-token-of-some-length', `Basic ${TOKEN}`]) {
        const call = app.http().get('/api/metrics');
        const response = await (header ? call.set('Authorization', header) : call).expect(401);
        expect(response.body).toEqual(UNAUTHORIZED);
        expect(response.text).not.toMatch(/mas_|process_|nodejs_/);
      }
      const scraped = await app
        .http()
        .get('/api/metrics')
        .set('Authorization', `Bearer ${TOKEN}`)
        .expect(200);
      expect(scraped.text).toContain('mas_db_pool_connections_in_use');
    });

    it('in production without METRICS_TOKEN the endpoint is off: 404 like any unknown route', async () => {
      const app = await boot({ NODE_ENV: 'production' });
      const metrics = await app.http().get('/api/metrics').expect(404);
      const unknown = await app.http().get('/api/no-such-route').expect(404);
      expect(metrics.body).toEqual({ ...unknown.body, message: 'Cannot GET /api/metrics' });
      expect(unknown.body.message).toBe('Cannot GET /api/no-such-route');
      await app.http().get('/api/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(404);
    });

    it("guards the worker's /metrics with the same token", async () => {
      const config = loadAppConfig(
        testEnv(fixture.database, {
          APP_ROLE: 'worker',
          WORKER_HEALTH_PORT: '0',
          HOST: '127.0.0.1',
          BULLMQ_PREFIX: prefix,
          METRICS_TOKEN: TOKEN,
        }),
      );
      const worker = await createWorkerApp({
        config,
        connection: config.database.connection!,
        logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
      });
      try {
        const http = request(`http://127.0.0.1:${worker.get(WorkerHealthServer).port()}`);
        const refused = await http.get('/metrics').expect(401);
        expect(refused.text).not.toMatch(/mas_|process_|nodejs_/);
        await http.get('/metrics').set('Authorization', 'Bearer not-the-token-at-all').expect(401);
        const scraped = await http
          .get('/metrics')
          .set('Authorization', `Bearer ${TOKEN}`)
          .expect(200);
        expect(scraped.text).toContain('mas_db_pool_connections_in_use');
        await http.get('/health/live').expect(200);
      } finally {
        await stopWithQueues({ app: worker, close: () => worker.close() });
      }
    });
  });
});
