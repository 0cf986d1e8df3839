import { Logger } from '@nestjs/common';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ensureDatabaseExists } from '../bootstrap/schema-bootstrap.js';
import {
  connectionUrl,
  type DatabaseConfig,
  type DatabaseConnection,
  loadDatabaseConfig,
} from '../config/database-config.js';
import { directConnectionFor, sameConnection } from '../config/direct-connection.js';
import { migrateUnderLock } from '../migrations/migration-runner.js';
import { buildDataSourceOptions, sessionDataSourceOptions } from './data-source-options.js';
import { loadMigrations } from './migration-files.js';

const logger = new Logger('Persistence');

/**
 * Creates the database if missing, connects, and (when `migrate`) bootstraps and applies pending
 * migrations under the migration lock. Used by the app at boot and by the db:* commands.
 *
 * Creating the database, the migration lock (a session advisory lock) and the migrations use the
 * direct connection (DATABASE_DIRECT_URL). When that is not `connection` (a transaction pooler in
 * between), they run on a short-lived data source of their own before the pooled one opens.
 */
export async function openDataSource(
  options: DataSourceOptions,
  config: DatabaseConfig,
  connection: DatabaseConnection,
  { migrate }: { migrate: boolean },
): Promise<DataSource> {
  const direct = directConnectionFor(config, connection);
  if (await ensureDatabaseExists(direct, config.ssl)) {
    logger.log(`created database ${direct.database}`);
  }
  if (migrate && !sameConnection(direct, connection)) {
    if (options.type !== 'postgres') throw new Error(`expected postgres, not ${options.type}`);
    const session = new DataSource(sessionDataSourceOptions(options, config, direct));
    await session.initialize();
    try {
      await migrateAndLog(session);
    } finally {
      await session.destroy();
    }
    return new DataSource(options).initialize();
  }
  const dataSource = await new DataSource(options).initialize();
  if (!migrate) return dataSource;
  try {
    await migrateAndLog(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

async function migrateAndLog(dataSource: DataSource): Promise<void> {
  const { applied, waitedForLockMs } = await migrateUnderLock(dataSource);
  if (applied.length) logger.log(`applied ${applied.length} migration(s): ${applied.join(', ')}`);
  if (waitedForLockMs > 100)
    logger.log(`waited ${waitedForLockMs} ms for another instance's migrations`);
}

/**
 * Brings a database to the schema of `migrations` (default: all of this code's) and closes: the
 * database is created when missing and the migrations run under the lock, as at boot. For test
 * templates, scratch and benchmark databases, and restore targets.
 */
export async function migrateDatabase(
  connection: DatabaseConnection,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  { ssl = false, migrations }: { ssl?: boolean; migrations?: Function[] } = {},
): Promise<void> {
  const config = loadDatabaseConfig({
    DATABASE_URL: connectionUrl(connection),
    DB_SSL: String(ssl),
    DB_POOL_MIN: '0',
    DB_POOL_MAX: '2',
    DB_PREPARED_STATEMENTS: 'false',
  });
  const options = buildDataSourceOptions(config, connection, {
    entities: [],
    migrations: migrations ?? (await loadMigrations()),
  });
  await (await openDataSource(options, config, connection, { migrate: true })).destroy();
}
