import {
  buildDataSourceOptions,
  type DatabaseConfig,
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
 * explicit env (tests).
 */
export async function createCliDatabase(env?: Env): Promise<CliDatabase> {
  const config = env ? loadDatabaseConfig(env) : await readSettings(loadDatabaseConfig);
  const server = await resolveConnection(config, (message) => console.error(message));
  const options = buildDataSourceOptions(config, server.connection, {
    entities: ALL_ENTITIES,
    migrations: await loadMigrations(),
  });
  return { options, config, connection: server.connection, stopServer: () => server.stop() };
}
