import {
  buildDataSourceOptions,
  type DatabaseConfig,
  directConnectionFor,
  type DatabaseConnection,
  type Env,
  loadDatabaseConfig,
  loadMigrations,
  type PostgresDataSourceOptions,
  resolveConnection,
} from '@mas/persistence';
import { readSettings } from '../config/read-settings.js';
import { ALL_ENTITIES } from './entities.js';

export interface CliDatabase {
  options: PostgresDataSourceOptions;
  config: DatabaseConfig;
  connection: DatabaseConnection;
  stopServer: () => Promise<void>;
}

/**
 * The app's DataSource definition for commands: same builder, same entities, same migrations, same
 * settings (`.env` under the environment; a spawned TypeORM CLI reads them the same way), or an
 * explicit env (tests). Commands connect directly (DATABASE_DIRECT_URL): they hold the migration
 * lock and create scratch databases, which a transaction pooler cannot carry.
 */
export async function createCliDatabase(env?: Env): Promise<CliDatabase> {
  const config = env ? loadDatabaseConfig(env) : await readSettings(loadDatabaseConfig);
  const server = await resolveConnection(config, (message) => console.error(message));
  const connection = directConnectionFor(config, server.connection);
  const options = buildDataSourceOptions(config, connection, {
    entities: ALL_ENTITIES,
    migrations: await loadMigrations(),
  });
  return { options, config, connection, stopServer: () => server.stop() };
}
