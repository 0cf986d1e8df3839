import { loadDatabaseConfig } from '../config/database-config.js';
import { buildDataSourceOptions } from './data-source-options.js';

describe('buildDataSourceOptions', () => {
  const config = loadDatabaseConfig({
    DATABASE_URL: 'postgres://u:p@h:5432/d',
    DB_POOL_MAX: '7',
    DB_POOL_MIN: '2',
    DB_STATEMENT_TIMEOUT_MS: '5000',
  });
  const options = buildDataSourceOptions(config, config.connection!, {
    entities: [],
    migrations: [],
  });

  it('never synchronizes and never runs migrations by itself', () => {
    expect(options.synchronize).toBe(false);
    expect(options.migrationsRun).toBe(false);
    expect(options.dropSchema).toBe(false);
    expect(options.migrationsTransactionMode).toBe('each');
  });

  it('passes the pool settings to pg', () => {
    expect(options.extra).toMatchObject({
      max: 7,
      min: 2,
      idleTimeoutMillis: 30000,
      connectionTimeoutMillis: 2000,
      statement_timeout: 5000,
    });
  });

  it('bounds pool acquisition by the shorter of the acquire and connect timeouts', () => {
    const bounded = (env: Record<string, string>) => {
      const custom = loadDatabaseConfig({ DATABASE_URL: 'postgres://u:p@h:5432/d', ...env });
      const built = buildDataSourceOptions(custom, custom.connection!, {
        entities: [],
        migrations: [],
      });
      return (built.extra as { connectionTimeoutMillis: number }).connectionTimeoutMillis;
    };
    expect(bounded({ DB_POOL_ACQUIRE_TIMEOUT_MS: '250' })).toBe(250);
    expect(bounded({ DB_POOL_ACQUIRE_TIMEOUT_MS: '60000', DB_CONNECT_TIMEOUT_MS: '4000' })).toBe(
      4000,
    );
  });
});
