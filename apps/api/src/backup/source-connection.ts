import { type DatabaseConnection } from '@mas/persistence';
import { type DataSource } from 'typeorm';

/** The database the app is connected to (configured or embedded), for a connection of its own. */
export function connectionOf(dataSource: DataSource): DatabaseConnection {
  const options = dataSource.options as {
    host: string;
    port: number;
    username: string;
    password?: string;
    database: string;
  };
  return {
    host: options.host,
    port: options.port,
    username: options.username,
    password: options.password,
    database: options.database,
  };
}
