import { type DatabaseConnection } from '@mas/persistence';
import pg from 'pg';

/** Where a backup is read from or restored into. */
export interface DatabaseTarget {
  connection: DatabaseConnection;
  ssl: boolean;
}

/** A plain pg client (COPY streams need one connection of their own, outside any pool). */
export async function connectClient(target: DatabaseTarget, purpose: string): Promise<pg.Client> {
  const { connection, ssl } = target;
  const client = new pg.Client({
    host: connection.host,
    port: connection.port,
    user: connection.username,
    password: connection.password,
    database: connection.database,
    ssl: ssl ? { rejectUnauthorized: true } : false,
    application_name: `mas-${purpose}`,
  });
  await client.connect();
  return client;
}
