import { type DataSourceOptions, type EntitySubscriberInterface, type MixedList } from 'typeorm';

export type PostgresDataSourceOptions = Extract<DataSourceOptions, { type: 'postgres' }>;
import {
  type DatabaseConfig,
  type DatabaseConnection,
  loadDatabaseConfig,
} from '../config/database-config.js';
import { goesThroughPooler } from '../config/direct-connection.js';
import { GuardedClient } from './guarded-client.js';
import { HotStatements, preparingClient } from './prepared-statements.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export interface SchemaParts {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  subscribers?: MixedList<new () => EntitySubscriberInterface>;
}

/** One per process: every data source shares the count of how often each text was sent. */
const hotStatements = new HotStatements();

/**
 * The one DataSource definition, shared by the app, the db:* commands and the TypeORM CLI.
 * `synchronize` is not configurable: schema changes are migrations.
 */
export function buildDataSourceOptions(
  config: DatabaseConfig,
  connection: DatabaseConnection,
  parts: SchemaParts,
): PostgresDataSourceOptions {
  return {
    type: 'postgres',
    host: connection.host,
    port: connection.port,
    username: connection.username,
    password: connection.password,
    database: connection.database,
    ssl: config.ssl ? { rejectUnauthorized: true } : false,
    entities: parts.entities,
    migrations: parts.migrations,
    subscribers: parts.subscribers ?? [],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    migrationsRun: false,
    synchronize: false,
    dropSchema: false,
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    logging: config.logQueries ? ['query', 'error'] : false,
    poolSize: config.poolMax,
    connectTimeoutMS: config.connectTimeoutMs,
    extra: {
      max: config.poolMax,
      min: config.poolMin,
      idleTimeoutMillis: config.idleTimeoutMs,
      // pg-pool has one timer for both waiting on a busy pool and opening a new connection, so the
      // shorter bound wins: a request never queues longer than DB_POOL_ACQUIRE_TIMEOUT_MS.
      connectionTimeoutMillis: Math.min(config.poolAcquireTimeoutMs, config.connectTimeoutMs),
      application_name: 'mas-backend',
      ...statementTimeout(config, connection),
      Client: config.preparedStatements ? preparingClient(hotStatements) : GuardedClient,
    },
  };
}

/**
 * DB_STATEMENT_TIMEOUT_MS as a startup parameter, on sessions only: a transaction pooler hands a
 * client's transactions to server sessions that never saw its startup (PgBouncer 1.18 refuses
 * the parameter outright). Behind one, `ALTER ROLE ... SET statement_timeout` or the pooler's
 * `query_timeout` bounds statements instead.
 */
function statementTimeout(
  config: DatabaseConfig,
  connection: DatabaseConnection,
): { statement_timeout?: number } {
  if (!config.statementTimeoutMs || goesThroughPooler(config, connection)) return {};
  return { statement_timeout: config.statementTimeoutMs };
}

/**
 * The same data source moved to `direct`, for a short-lived session of its own (the migration
 * run): two connections, one holding the migration lock and one running the migrations.
 */
export function sessionDataSourceOptions(
  options: PostgresDataSourceOptions,
  config: DatabaseConfig,
  direct: DatabaseConnection,
): PostgresDataSourceOptions {
  return {
    ...options,
    host: direct.host,
    port: direct.port,
    username: direct.username,
    password: direct.password,
    database: direct.database,
    poolSize: 2,
    extra: {
      ...(options.extra as Record<string, unknown>),
      max: 2,
      min: 0,
      ...statementTimeout(config, direct),
    },
  };
}

/** Where a data source connects: its `url`, or its fields as buildDataSourceOptions sets them. */
export function dataSourceConnection(options: PostgresDataSourceOptions): DatabaseConnection {
  if (options.url) return loadDatabaseConfig({ DATABASE_URL: options.url }).connection!;
  return {
    host: options.host ?? 'localhost',
    port: options.port ?? 5432,
    username: options.username ?? 'postgres',
    password: typeof options.password === 'string' ? options.password : undefined,
    database: options.database ?? '',
  };
}
