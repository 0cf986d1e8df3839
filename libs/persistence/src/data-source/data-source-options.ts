import { type DataSourceOptions, type EntitySubscriberInterface, type MixedList } from 'typeorm';

export type PostgresDataSourceOptions = Extract<DataSourceOptions, { type: 'postgres' }>;
import { type DatabaseConfig, type DatabaseConnection } from '../config/database-config.js';
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
      ...(config.statementTimeoutMs ? { statement_timeout: config.statementTimeoutMs } : {}),
      ...(config.preparedStatements ? { Client: preparingClient(hotStatements) } : {}),
    },
  };
}
