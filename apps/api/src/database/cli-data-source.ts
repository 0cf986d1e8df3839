import {
  buildDataSourceOptions,
  DatabaseConfig,
  DatabaseConnection,
  loadDatabaseConfig,
  loadMigrations,
  PostgresDataSourceOptions,
  resolveConnection,
} from '@mas/persistence';
import { ALL_ENTITIES } from './entities.js';

export interface CliDatabase {
  options: PostgresDataSourceOptions;
  config: DatabaseConfig;
  connection: DatabaseConnection;
  stopServer: () => Promise<void>;
}

/** The app's DataSource definition for commands: same builder, same entities, same migrations. */
export async function createCliDatabase(env = process.env): Promise<CliDatabase> {
  const config = loadDatabaseConfig(env);
  const server = await resolveConnection(config, (message) => console.error(message));
  const options = buildDataSourceOptions(config, server.connection, {
    entities: ALL_ENTITIES,
    migrations: await loadMigrations(),
  });
  return { options, config, connection: server.connection, stopServer: () => server.stop() };
}
