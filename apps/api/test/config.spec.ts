import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@mas/persistence';
import { loadAppConfig } from '../src/config/app-config.js';

const MAIN = fileURLToPath(new URL('../../../dist/apps/api/src/main.js', import.meta.url));

describe('application config', () => {
  it('has working defaults for a local run', () => {
    const config = loadAppConfig({});
    expect(config.port).toBe(3000);
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.database.connection).toBeNull();
    expect(config.identity.admin.email).toBe('admin@mas.local');
    expect(config.realtime).toEqual({ socketsPerUserMax: 10, socketSlotLeaseMs: 60_000 });
    expect(config.jobs.dataLossCheckMs).toBe(5000);
    expect(config.identity.passwordHashing.scryptLogN).toBe(17);
    expect(config.identity.authCacheTtlMs).toBe(2000);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be an integer'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV must be one of development, production, test'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
    [{ REDIS_URL: 'http://localhost' }, 'REDIS_URL must use redis:'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 32 characters'],
    [{ ADMIN_EMAIL: 'nobody' }, 'ADMIN_EMAIL must be an email address'],
    [{ NODE_ENV: 'production', ADMIN_PASSWORD: 'long enough password' }, 'JWT_SECRET is required'],
    [{ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }, 'ADMIN_PASSWORD is required'],
    [{ LOGIN_RATE_LIMIT: '0' }, 'LOGIN_RATE_LIMIT must be between 1'],
    [{ SOCKETS_PER_USER_MAX: '0' }, 'SOCKETS_PER_USER_MAX must be between 1'],
    [{ SOCKET_SLOT_LEASE_MS: '500' }, 'SOCKET_SLOT_LEASE_MS must be between 1000'],
    [{ LOGIN_ACCOUNT_FAILURE_WINDOW_MS: '10' }, 'LOGIN_ACCOUNT_FAILURE_WINDOW_MS must be between'],
    [{ REGISTER_RATE_LIMIT: 'many' }, 'REGISTER_RATE_LIMIT must be an integer'],
    [{ PASSWORD_HASH_CONCURRENCY: '0' }, 'PASSWORD_HASH_CONCURRENCY must be between 1'],
    [{ REDIS_DATA_LOSS_CHECK_MS: '50' }, 'REDIS_DATA_LOSS_CHECK_MS must be between 100'],
    [{ PASSWORD_SCRYPT_LOG_N: '9' }, 'PASSWORD_SCRYPT_LOG_N must be between 10'],
    [
      {
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(40),
        ADMIN_PASSWORD: 'long enough password',
        PASSWORD_SCRYPT_LOG_N: '12',
      },
      'PASSWORD_SCRYPT_LOG_N must be at least 17 in production',
    ],
  ])('%j is refused with a message naming the variable', (env, message) => {
    expect(() => loadAppConfig(env)).toThrow(ConfigError);
    expect(() => loadAppConfig(env)).toThrow(message);
  });

  it('stops the real process at boot with one clear line and exit code 1', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, DATABASE_URL: 'postgres://127.0.0.1:1/x', DB_POOL_MAX: 'lots' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('Invalid configuration: DB_POOL_MAX must be an integer, got "lots"');
  });
});
