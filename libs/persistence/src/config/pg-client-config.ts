import type pg from 'pg';
import { type DatabaseConnection } from './database-connection.js';

/** A plain pg client's settings for a connection (outside any pool: commands, COPY, admin work). */
export function pgClientConfig(connection: DatabaseConnection, ssl: boolean): pg.ClientConfig {
  return {
    host: connection.host,
    port: connection.port,
    user: connection.username,
    password: connection.password,
    database: connection.database,
    ssl: ssl ? { rejectUnauthorized: true } : false,
  };
}
