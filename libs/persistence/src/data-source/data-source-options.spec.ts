import { loadDatabaseConfig } from '../config/database-config.js';
import { directConnectionFor } from '../config/direct-connection.js';
import { buildDataSourceOptions, sessionDataSourceOptions } from './data-source-options.js';
import { GuardedClient } from './guarded-client.js';

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

describe('data sources behind a transaction pooler (DATABASE_DIRECT_URL differs)', () => {
  const config = loadDatabaseConfig({
    DATABASE_URL: 'postgres://u@pgbouncer:6432/d',
    DATABASE_DIRECT_URL: 'postgres://u@db:5432/d',
    DB_STATEMENT_TIMEOUT_MS: '5000',
  });
  const pooled = buildDataSourceOptions(config, config.connection!, {
    entities: [],
    migrations: [],
  });

  it('sends no session state on the pooled connections: no statement_timeout, no prepared statements', () => {
    expect(pooled).toMatchObject({ host: 'pgbouncer', port: 6432 });
    expect(pooled.extra).not.toHaveProperty('statement_timeout');
    expect((pooled.extra as { Client: unknown }).Client).toBe(GuardedClient);
  });

  it('moves a session (the migration run) to the direct URL, with the statement timeout', () => {
    const session = sessionDataSourceOptions(pooled, config, config.directConnection!);
    expect(session).toMatchObject({ host: 'db', port: 5432, database: 'd', poolSize: 2 });
    expect(session.extra).toMatchObject({ max: 2, min: 0, statement_timeout: 5000 });
  });

  it('sends the direct connection to sessions only for the configured pooled connection', () => {
    expect(directConnectionFor(config, config.connection!)).toEqual(config.directConnection);
    const scratch = { ...config.directConnection!, database: 'scratch' };
    expect(directConnectionFor(config, scratch)).toBe(scratch);
    const embedded = loadDatabaseConfig({});
    const server = {
      host: '127.0.0.1',
      port: 54329,
      username: 'postgres',
      password: undefined,
      database: 'mas',
    };
    expect(directConnectionFor(embedded, server)).toBe(server);
  });

  it('keeps the statement timeout on a command that connects to the direct URL itself', () => {
    const direct = buildDataSourceOptions(config, config.directConnection!, {
      entities: [],
      migrations: [],
    });
    expect(direct.extra).toMatchObject({ statement_timeout: 5000 });
  });
});
