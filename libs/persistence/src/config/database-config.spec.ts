import { ConfigError } from './config-error.js';
import { loadDatabaseConfig } from './database-config.js';

describe('loadDatabaseConfig', () => {
  it('uses the documented defaults and no connection when nothing is set (embedded mode)', () => {
    const config = loadDatabaseConfig({});
    expect(config).toMatchObject({
      connection: null,
      poolMax: 20,
      poolMin: 5,
      idleTimeoutMs: 30000,
      connectTimeoutMs: 10000,
      poolAcquireTimeoutMs: 2000,
      statementTimeoutMs: undefined,
      ssl: false,
      runMigrations: true,
    });
    expect(config.outbox).toMatchObject({
      listen: true,
      pollMs: 200,
      fallbackPollMs: 5000,
      busyPollMs: 20,
    });
  });

  it('reads the outbox wake-up settings; the fallback poll is never shorter than OUTBOX_POLL_MS', () => {
    expect(
      loadDatabaseConfig({ OUTBOX_LISTEN: 'false', OUTBOX_FALLBACK_POLL_MS: '60000' }).outbox,
    ).toMatchObject({ listen: false, pollMs: 200, fallbackPollMs: 60000 });
    expect(loadDatabaseConfig({ OUTBOX_POLL_MS: '20000' }).outbox.fallbackPollMs).toBe(20000);
  });

  it('reads DATABASE_URL, including encoded credentials', () => {
    const { connection } = loadDatabaseConfig({
      DATABASE_URL: 'postgresql://app%40x:p%2Fw@db.internal:6543/mas_prod',
    });
    expect(connection).toEqual({
      host: 'db.internal',
      port: 6543,
      username: 'app@x',
      password: 'p/w',
      database: 'mas_prod',
    });
  });

  it('reads DB_HOST and friends when DATABASE_URL is absent', () => {
    const { connection } = loadDatabaseConfig({
      DB_HOST: 'pg',
      DB_PORT: '5433',
      DB_USERNAME: 'u',
      DB_PASSWORD: 'p',
      DB_NAME: 'd',
    });
    expect(connection).toEqual({
      host: 'pg',
      port: 5433,
      username: 'u',
      password: 'p',
      database: 'd',
    });
  });

  it('uses DATABASE_URL for sessions too when DATABASE_DIRECT_URL is absent, with prepared statements', () => {
    const config = loadDatabaseConfig({ DATABASE_URL: 'postgres://u@db:5432/mas' });
    expect(config.directConnection).toEqual(config.connection);
    expect(config.preparedStatements).toBe(true);
  });

  it('reads DATABASE_DIRECT_URL; a pooler in between turns prepared statements off by default', () => {
    const config = loadDatabaseConfig({
      DATABASE_URL: 'postgres://u@pgbouncer:6432/mas',
      DATABASE_DIRECT_URL: 'postgres://u:s%40cret@db:5432/mas',
    });
    expect(config.connection).toMatchObject({ host: 'pgbouncer', port: 6432 });
    expect(config.directConnection).toEqual({
      host: 'db',
      port: 5432,
      username: 'u',
      password: 's@cret',
      database: 'mas',
    });
    expect(config.preparedStatements).toBe(false);
  });

  it('keeps an explicit DB_PREPARED_STATEMENTS=true behind a pooler (PgBouncer 1.21+ tracks them)', () => {
    const config = loadDatabaseConfig({
      DATABASE_URL: 'postgres://u@pgbouncer:6432/mas',
      DATABASE_DIRECT_URL: 'postgres://u@db:5432/mas',
      DB_PREPARED_STATEMENTS: 'true',
    });
    expect(config.preparedStatements).toBe(true);
  });

  it('treats a DATABASE_DIRECT_URL equal to DATABASE_URL as no pooler', () => {
    const url = 'postgres://u@db:5432/mas';
    expect(
      loadDatabaseConfig({ DATABASE_URL: url, DATABASE_DIRECT_URL: url }).preparedStatements,
    ).toBe(true);
  });

  it.each([
    [{ DB_POOL_MAX: 'twenty' }, 'DB_POOL_MAX must be an integer'],
    [{ DB_POOL_MAX: '0' }, 'DB_POOL_MAX must be between 1'],
    [{ DB_POOL_MIN: '30' }, 'DB_POOL_MIN must not exceed DB_POOL_MAX'],
    [{ DB_IDLE_TIMEOUT_MS: '-1' }, 'DB_IDLE_TIMEOUT_MS must be'],
    [{ DB_CONNECT_TIMEOUT_MS: '1.5' }, 'DB_CONNECT_TIMEOUT_MS must be an integer'],
    [{ DB_POOL_ACQUIRE_TIMEOUT_MS: '0' }, 'DB_POOL_ACQUIRE_TIMEOUT_MS must be between 1'],
    [{ DB_POOL_ACQUIRE_TIMEOUT_MS: '2s' }, 'DB_POOL_ACQUIRE_TIMEOUT_MS must be an integer'],
    [{ DB_STATEMENT_TIMEOUT_MS: 'soon' }, 'DB_STATEMENT_TIMEOUT_MS must be an integer'],
    [{ DB_SSL: 'maybe' }, 'DB_SSL must be true or false'],
    [{ MIGRATIONS_RUN: 'perhaps' }, 'MIGRATIONS_RUN must be true or false'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must be a valid URL'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL must use postgres:'],
    [{ DATABASE_URL: 'postgres://localhost' }, 'DATABASE_URL must name a database'],
    [{ DB_HOST: 'pg', DB_PORT: '70000' }, 'DB_PORT must be between 1 and 65535'],
    [
      { DATABASE_URL: 'postgres://h/d', DATABASE_DIRECT_URL: 'mysql://h/d' },
      'DATABASE_DIRECT_URL must use postgres:',
    ],
    [
      { DATABASE_URL: 'postgres://h/d', DATABASE_DIRECT_URL: 'postgres://h' },
      'DATABASE_DIRECT_URL must name a database',
    ],
    [
      { DATABASE_DIRECT_URL: 'postgres://h/d' },
      'DATABASE_DIRECT_URL needs DATABASE_URL (or DB_HOST)',
    ],
    [{ OUTBOX_LISTEN: 'sometimes' }, 'OUTBOX_LISTEN must be true or false'],
    [{ OUTBOX_FALLBACK_POLL_MS: '5s' }, 'OUTBOX_FALLBACK_POLL_MS must be an integer'],
    [{ OUTBOX_BUSY_POLL_MS: '0' }, 'OUTBOX_BUSY_POLL_MS must be between 1 and 60000, got 0'],
    [
      { OUTBOX_POLL_MS: '1000', OUTBOX_FALLBACK_POLL_MS: '500' },
      'OUTBOX_FALLBACK_POLL_MS must not be below OUTBOX_POLL_MS (1000)',
    ],
    [{ DB_READ_URLS: 'postgres://a/mas, mysql://b/mas' }, 'DB_READ_URLS must use postgres:'],
    [{ DB_READ_URLS: 'postgres://a/mas,postgres://a:5432/mas' }, 'names the same replica twice'],
    [{ DB_READ_URLS: 'postgres://a/' }, 'DB_READ_URLS must name a database'],
    [{ DB_REPLICA_MAX_LAG_MS: '0' }, 'DB_REPLICA_MAX_LAG_MS must be between 1 and'],
  ])('%j stops with a message naming the variable', (env, message) => {
    expect(() => loadDatabaseConfig(env)).toThrow(ConfigError);
    expect(() => loadDatabaseConfig(env)).toThrow(message);
  });

  it('reads the read replicas: none by default, each URL parsed like DATABASE_URL', () => {
    expect(loadDatabaseConfig({}).replicas).toMatchObject({
      connections: [],
      maxLagMs: 5000,
      checkIntervalMs: 1000,
      writePositionTtlMs: 10_000,
    });
    const { replicas } = loadDatabaseConfig({
      DB_READ_URLS: ' postgres://reader:s%40cret@replica-1/mas , postgresql://replica-2:6432/mas,',
      DB_REPLICA_MAX_LAG_MS: '30000',
    });
    expect(replicas.connections).toEqual([
      { host: 'replica-1', port: 5432, username: 'reader', password: 's@cret', database: 'mas' },
      { host: 'replica-2', port: 6432, username: 'postgres', password: undefined, database: 'mas' },
    ]);
    expect(replicas.writePositionTtlMs).toBe(60_000);
  });

  it('has no way to turn synchronize on', () => {
    expect(
      Object.keys(loadDatabaseConfig({ DB_SYNCHRONIZE: 'true', TYPEORM_SYNCHRONIZE: 'true' })),
    ).not.toContain('synchronize');
  });
});
