import { ConfigError } from '@mas/persistence';
import { appsOnMigratedDatabase } from '@mas/testing/app-fixture.js';
import { login, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { connectEvents, handshakeRefusal, listen } from '@mas/testing/realtime.js';
import { loadAppConfig } from '../src/config/app-config.js';
import { isAllowedOrigin } from '../src/config/cors-origins-config.js';

const DEV_ORIGIN = 'http://localhost:5173';
const APP_ORIGIN = 'https://app.example.com';
const OTHER_ORIGIN = 'https://evil.example';

describe('CORS_ORIGINS', () => {
  describe('config', () => {
    it.each([
      ['development', ['http://localhost:*', 'http://127.0.0.1:*']],
      ['test', ['http://localhost:*', 'http://127.0.0.1:*']],
      ['production', []],
    ])('defaults in %s to %j', (nodeEnv, origins) => {
      const production = { JWT_SECRET: 'x'.repeat(40), ADMIN_PASSWORD: 'a long password' };
      expect(loadAppConfig({ NODE_ENV: nodeEnv, ...production }).corsOrigins).toEqual(origins);
    });

    it('normalizes the listed origins and accepts none', () => {
      const env = { CORS_ORIGINS: ' HTTPS://App.Example.com:443 , http://LOCALHOST:* ' };
      expect(loadAppConfig(env).corsOrigins).toEqual([APP_ORIGIN, 'http://localhost:*']);
      expect(loadAppConfig({ CORS_ORIGINS: 'none' }).corsOrigins).toEqual([]);
    });

    it.each([
      '*',
      'https://app.example.com/path',
      'ftp://files.example',
      'app.example.com',
      'http://localhost:3000:*',
      'https://a.example,',
    ])('%j is refused naming CORS_ORIGINS', (value) => {
      expect(() => loadAppConfig({ CORS_ORIGINS: value })).toThrow(ConfigError);
      expect(() => loadAppConfig({ CORS_ORIGINS: value })).toThrow(
        /^Invalid configuration: CORS_ORIGINS must be none or/,
      );
    });

    it.each([
      [DEV_ORIGIN, true],
      ['http://127.0.0.1:3000', true],
      ['http://localhost', true],
      ['https://localhost:5173', false],
      ['http://localhost.evil.example:5173', false],
      ['http://localhost:5173/path', false],
      ['null', false],
      [APP_ORIGIN, false],
    ])('the development default allows %s: %s', (origin, allowed) => {
      expect(isAllowedOrigin(loadAppConfig({}).corsOrigins, origin)).toBe(allowed);
    });
  });

  describe('on the running API', () => {
    const { boot } = appsOnMigratedDatabase({ APP_ROLE: 'api' });

    const preflight = (app: TestApp, origin: string) =>
      app
        .http()
        .options('/api/auth/login')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,authorization');

    const corsHeaders = (headers: Record<string, string>) =>
      Object.keys(headers).filter((name) => name.startsWith('access-control-'));

    it('answers a preflight from an allowed origin with 204 and the CORS headers', async () => {
      const app = await boot();
      const response = await preflight(app, DEV_ORIGIN).expect(204);
      expect(response.headers['access-control-allow-origin']).toBe(DEV_ORIGIN);
      expect(response.headers['access-control-allow-methods']).toContain('POST');
      expect(response.headers['access-control-allow-headers']).toBe('content-type,authorization');
      expect(response.headers['access-control-max-age']).toBe('600');
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      expect(response.headers.vary).toMatch(/Origin/);

      const live = await app.http().get('/api/health/live').set('Origin', DEV_ORIGIN).expect(200);
      expect(live.headers['access-control-allow-origin']).toBe(DEV_ORIGIN);
      expect(live.headers['access-control-expose-headers']).toBe('X-Request-Id,Retry-After');
    });

    it('gives another origin no CORS headers, on a preflight or a request', async () => {
      const app = await boot();
      const refused = await preflight(app, OTHER_ORIGIN);
      expect(refused.status).not.toBe(204);
      expect(corsHeaders(refused.headers)).toEqual([]);
      const live = await app.http().get('/api/health/live').set('Origin', OTHER_ORIGIN).expect(200);
      expect(corsHeaders(live.headers)).toEqual([]);
    });

    it('follows CORS_ORIGINS when set, and allows nobody by default in production', async () => {
      const listed = await boot({ CORS_ORIGINS: APP_ORIGIN });
      await preflight(listed, APP_ORIGIN)
        .expect(204)
        .expect('Access-Control-Allow-Origin', APP_ORIGIN);
      expect(corsHeaders((await preflight(listed, DEV_ORIGIN)).headers)).toEqual([]);

      const production = await boot({ NODE_ENV: 'production' });
      expect(corsHeaders((await preflight(production, DEV_ORIGIN)).headers)).toEqual([]);
    });

    it('lets the Socket.IO handshake through from allowed origins only', async () => {
      const app = await boot({ CORS_ORIGINS: APP_ORIGIN });
      const baseUrl = await listen(app);
      const token = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);

      const polling = `${baseUrl}/socket.io/?EIO=4&transport=polling`;
      const allowed = await fetch(polling, { headers: { Origin: APP_ORIGIN } });
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      const refused = await fetch(polling, { headers: { Origin: OTHER_ORIGIN } });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();

      const client = await connectEvents(baseUrl, { token, headers: { Origin: APP_ORIGIN } });
      client.close();
      await handshakeRefusal(baseUrl, { token, headers: { Origin: OTHER_ORIGIN } });
      // A client that is not a browser sends no Origin and meets only the token check.
      (await connectEvents(baseUrl, { token })).close();
    });
  });
});
