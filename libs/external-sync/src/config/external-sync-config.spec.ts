import { ConfigError } from '@mas/persistence';
import { loadExternalSyncConfig } from './external-sync-config.js';

describe('loadExternalSyncConfig', () => {
  it('a source without a URL is off; the defaults pull every 15 minutes', () => {
    const config = loadExternalSyncConfig({
      MRLEARN_URL: 'https://learn.example/api',
      MRLEARN_TOKEN: 't',
    });
    expect(Object.keys(config.sources)).toEqual(['mrlearn']);
    expect(config.sources.mrlearn).toEqual({
      baseUrl: new URL('https://learn.example/api'),
      token: 't',
    });
    expect(config).toMatchObject({
      schedulePattern: '*/15 * * * *',
      pageSize: 500,
      maxAttempts: 5,
    });
  });

  it.each([
    ['1', '*/1 * * * *'],
    ['30', '*/30 * * * *'],
    ['60', '0 */1 * * *'],
    ['360', '0 */6 * * *'],
  ])('SYNC_INTERVAL_MINUTES=%s runs on %s', (minutes, pattern) => {
    expect(loadExternalSyncConfig({ SYNC_INTERVAL_MINUTES: minutes }).schedulePattern).toBe(
      pattern,
    );
  });

  it.each([
    [{ SYNC_INTERVAL_MINUTES: '7' }, 'SYNC_INTERVAL_MINUTES'],
    [{ SYNC_INTERVAL_MINUTES: '90' }, 'SYNC_INTERVAL_MINUTES'],
    [{ MRTEST_URL: 'ftp://test.example' }, 'MRTEST_URL'],
    [{ SYNC_PAGE_SIZE: '0' }, 'SYNC_PAGE_SIZE'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => loadExternalSyncConfig(env)).toThrow(ConfigError);
    expect(() => loadExternalSyncConfig(env)).toThrow(variable);
  });
});
