import { Logger } from '@nestjs/common';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ensureDatabaseExists } from '../bootstrap/schema-bootstrap.js';
import { type DatabaseConfig, type DatabaseConnection } from '../config/database-config.js';
import { migrateUnderLock } from '../migrations/migration-runner.js';

const logger = new Logger('Persistence');

/**
 * Creates the database if missing, connects, and (when `migrate`) bootstraps and applies pending
 * migrations under the migration lock. Used by the app at boot and by the db:* commands.
 */
export async function openDataSource(
  options: DataSourceOptions,
  config: DatabaseConfig,
  connection: DatabaseConnection,
  { migrate }: { migrate: boolean },
): Promise<DataSource> {
  if (await ensureDatabaseExists(connection, config.ssl)) {
    logger.log(`created database ${connection.database}`);
  }
  const dataSource = await new DataSource(options).initialize();
  if (!migrate) return dataSource;
  try {
    const { applied, waitedForLockMs } = await migrateUnderLock(dataSource);
    if (applied.length) logger.log(`applied ${applied.length} migration(s): ${applied.join(', ')}`);
    if (waitedForLockMs > 100)
      logger.log(`waited ${waitedForLockMs} ms for another instance's migrations`);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
