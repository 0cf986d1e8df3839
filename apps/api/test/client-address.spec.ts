import { uniqueAbusePrefix } from '@mas/testing/abuse.js';
import { appsOnMigratedDatabase } from '@mas/testing/app-fixture.js';
import { type TestApp } from '@mas/testing/test-app.js';

/**
 * The per-address limits count Express's `request.ip`. By default X-Forwarded-For is ignored, so a
 * client cannot reset its count by naming another address; with TRUST_PROXY the proxy's header is
 * believed, so the clients behind it are counted one by one.
 */
describe('client address for the per-address limits', () => {
  const fixture = appsOnMigratedDatabase({
    APP_ROLE: 'api',
    OUTBOX_RELAY_ENABLED: 'false',
    REGISTER_RATE_LIMIT: '2',
  });
  const appWith = (env: Record<string, string>) =>
    fixture.boot({ ABUSE_REDIS_PREFIX: uniqueAbusePrefix(), ...env });

  const registerFrom = (app: TestApp, forwardedFor: string, email: string) =>
    app
      .http()
      .post('/api/auth/register')
      .set('X-Forwarded-For', forwardedFor)
      .send({ email, password: 'a long enough password', fullName: 'Forwarded' });

  it('ignores X-Forwarded-For unless TRUST_PROXY is set: a spoofed header does not reset the count', async () => {
    const app = await appWith({});
    expect((await registerFrom(app, '203.0.113.1', 'spoof-1@address.test')).status).toBe(201);
    expect((await registerFrom(app, '203.0.113.2', 'spoof-2@address.test')).status).toBe(201);
    const third = await registerFrom(app, '203.0.113.3', 'spoof-3@address.test');
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('counts each forwarded client on its own behind a trusted proxy (TRUST_PROXY=loopback)', async () => {
    const app = await appWith({ TRUST_PROXY: 'loopback' });
    expect((await registerFrom(app, '198.51.100.1', 'proxied-1@address.test')).status).toBe(201);
    expect((await registerFrom(app, '198.51.100.1', 'proxied-2@address.test')).status).toBe(201);
    expect((await registerFrom(app, '198.51.100.1', 'proxied-3@address.test')).status).toBe(429);
    expect((await registerFrom(app, '198.51.100.2', 'proxied-4@address.test')).status).toBe(201);
    const rows = await fixture.database.sql(
      `SELECT email FROM users WHERE email LIKE 'proxied-%@address.test' ORDER BY email`,
    );
    expect(rows.rows.map((row: { email: string }) => row.email)).toEqual([
      'proxied-1@address.test',
      'proxied-2@address.test',
      'proxied-4@address.test',
    ]);
  });
});
