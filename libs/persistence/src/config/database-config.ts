import { ConfigError } from './config-error.js';
import { type DatabaseConnection } from './database-connection.js';
import { type Env, EnvReader } from './env-reader.js';
import { readReplicaConfig, type ReplicaConfig } from '../replicas/replica-config.js';

export type { DatabaseConnection } from './database-connection.js';

export interface DatabaseConfig {
  /** Where to connect; null when nothing is configured and an embedded Postgres should be started. */
  connection: DatabaseConnection | null;
  /**
   * Where sessions connect (DATABASE_DIRECT_URL, else `connection`): bootstrap, the migration lock
   * and run, LISTEN, commands. It differs from `connection` when a transaction pooler (PgBouncer)
   * stands in between; null in embedded mode, where the embedded server is both.
   */
  directConnection: DatabaseConnection | null;
  poolMax: number;
  poolMin: number;
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  /** How long a query waits for a pooled connection before the request is shed with a 503. */
  poolAcquireTimeoutMs: number;
  statementTimeoutMs: number | undefined;
  ssl: boolean;
  runMigrations: boolean;
  runEnsureSeeds: boolean;
  /** Embedded Postgres settings, used only when `connection` is null. */
  embedded: { dataDir: string; port: number; database: string };
  logQueries: boolean;
  /**
   * Hot statements run as named prepared statements (DB_PREPARED_STATEMENTS; prepared-statements.ts).
   * Off by default when `directConnection` differs: a transaction pooler does not keep them.
   */
  preparedStatements: boolean;
  /** Read replicas (DB_READ_URLS) and how far behind one may be. */
  replicas: ReplicaConfig;
  outbox: {
    relayEnabled: boolean;
    /** Wake the relay on commit: LISTEN on one dedicated connection (OUTBOX_LISTEN). */
    listen: boolean;
    /** The poll interval while the relay does not listen (disabled, or its connection is down). */
    pollMs: number;
    /**
     * The poll interval while the listener is up: only a safety net for a notification missed,
     * e.g. one sent while the listener reconnected (OUTBOX_FALLBACK_POLL_MS).
     */
    fallbackPollMs: number;
    /**
     * While drains keep finding rows, the relay stops listening and polls this often instead
     * (OUTBOX_BUSY_POLL_MS): under load a notification per commit costs more than a poll.
     */
    busyPollMs: number;
    batchSize: number;
    maxAttempts: number;
    retentionDays: number;
    /**
     * An email or job row handed to Redis but not recorded done by its consumer within this long
     * goes back to pending, to be enqueued again (OUTBOX_HANDOFF_TIMEOUT_MS).
     */
    handoffTimeoutMs: number;
  };
}

const POSTGRES_PROTOCOLS = ['postgres:', 'postgresql:'] as const;

/** Reads and validates every DB_* variable. Throws a ConfigError naming the first bad one. */
export function loadDatabaseConfig(env: Env): DatabaseConfig {
  const read = new EnvReader(env);
  const poolMax = read.int('DB_POOL_MAX', 20, { min: 1, max: 1000 });
  const poolMin = read.int('DB_POOL_MIN', Math.min(5, poolMax), { min: 0, max: 1000 });
  if (poolMin > poolMax)
    throw new ConfigError('DB_POOL_MIN', `must not exceed DB_POOL_MAX (${poolMax})`);
  const pollMs = read.int('OUTBOX_POLL_MS', 200, { min: 10, max: 60_000 });
  const fallbackPollMs = read.int('OUTBOX_FALLBACK_POLL_MS', Math.max(5_000, pollMs), {
    min: 10,
    max: 600_000,
  });
  if (fallbackPollMs < pollMs)
    throw new ConfigError(
      'OUTBOX_FALLBACK_POLL_MS',
      `must not be below OUTBOX_POLL_MS (${pollMs})`,
    );
  const connection = readConnection(read);
  const directConnection = readDirectConnection(read, connection);
  const behindPooler =
    !!connection &&
    !!directConnection &&
    connectionUrl(connection) !== connectionUrl(directConnection);
  return {
    connection,
    directConnection,
    poolMax,
    poolMin,
    idleTimeoutMs: read.int('DB_IDLE_TIMEOUT_MS', 30_000, { min: 0 }),
    connectTimeoutMs: read.int('DB_CONNECT_TIMEOUT_MS', 10_000, { min: 1 }),
    poolAcquireTimeoutMs: read.int('DB_POOL_ACQUIRE_TIMEOUT_MS', 2_000, { min: 1, max: 600_000 }),
    statementTimeoutMs: read.optionalInt('DB_STATEMENT_TIMEOUT_MS', { min: 1 }),
    ssl: read.bool('DB_SSL', false),
    runMigrations: read.bool('MIGRATIONS_RUN', true),
    runEnsureSeeds: read.bool('SEEDS_RUN', true),
    embedded: {
      dataDir: read.string('EMBEDDED_PG_DATA_DIR', '.data/postgres'),
      port: read.int('EMBEDDED_PG_PORT', 54329, { min: 1, max: 65535 }),
      database: read.string('EMBEDDED_PG_DATABASE', 'mas'),
    },
    logQueries: read.bool('DB_LOG_QUERIES', false),
    preparedStatements: read.bool('DB_PREPARED_STATEMENTS', !behindPooler),
    replicas: readReplicaConfig(
      read
        .urlList('DB_READ_URLS', POSTGRES_PROTOCOLS)
        .map((url) => connectionOfUrl('DB_READ_URLS', url)),
      read,
    ),
    outbox: {
      relayEnabled: read.bool('OUTBOX_RELAY_ENABLED', true),
      listen: read.bool('OUTBOX_LISTEN', true),
      pollMs,
      fallbackPollMs,
      busyPollMs: read.int('OUTBOX_BUSY_POLL_MS', 20, { min: 1, max: 60_000 }),
      batchSize: read.int('OUTBOX_BATCH_SIZE', 100, { min: 1, max: 10_000 }),
      maxAttempts: read.int('OUTBOX_MAX_ATTEMPTS', 10, { min: 1, max: 100 }),
      retentionDays: read.int('OUTBOX_RETENTION_DAYS', 7, { min: 0, max: 3650 }),
      handoffTimeoutMs: read.int('OUTBOX_HANDOFF_TIMEOUT_MS', 60_000, {
        min: 100,
        max: 24 * 3600_000,
      }),
    },
  };
}

function readConnection(read: EnvReader): DatabaseConnection | null {
  if (read.has('DATABASE_URL'))
    return connectionOfUrl('DATABASE_URL', read.url('DATABASE_URL', POSTGRES_PROTOCOLS));
  if (!read.has('DB_HOST')) return null;
  return {
    host: read.string('DB_HOST'),
    port: read.int('DB_PORT', 5432, { min: 1, max: 65535 }),
    username: read.string('DB_USERNAME', 'postgres'),
    password: read.optionalString('DB_PASSWORD'),
    database: read.string('DB_NAME', 'mas'),
  };
}

function connectionOfUrl(name: string, url: URL): DatabaseConnection {
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new ConfigError(name, 'must name a database (postgres://host/dbname)');
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    username: decodeURIComponent(url.username) || 'postgres',
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database,
  };
}

function readDirectConnection(
  read: EnvReader,
  connection: DatabaseConnection | null,
): DatabaseConnection | null {
  if (!read.has('DATABASE_DIRECT_URL')) return connection;
  if (!connection)
    throw new ConfigError(
      'DATABASE_DIRECT_URL',
      'needs DATABASE_URL (or DB_HOST): the embedded PostgreSQL is its own direct connection',
    );
  return connectionOfUrl(
    'DATABASE_DIRECT_URL',
    read.url('DATABASE_DIRECT_URL', POSTGRES_PROTOCOLS),
  );
}

export function connectionUrl(connection: DatabaseConnection): string {
  const auth = connection.password
    ? `${encodeURIComponent(connection.username)}:${encodeURIComponent(connection.password)}`
    : encodeURIComponent(connection.username);
  return `postgres://${auth}@${connection.host}:${connection.port}/${encodeURIComponent(connection.database)}`;
}
