import { type DatabaseConnection, pgClientConfig } from '@mas/persistence';
import pg from 'pg';

/** Where a backup is read from or restored into. */
export interface DatabaseTarget {
  connection: DatabaseConnection;
  ssl: boolean;
}

/** A plain pg client (COPY streams need one connection of their own, outside any pool). */
export async function connectClient(target: DatabaseTarget, purpose: string): Promise<pg.Client> {
  const client = new pg.Client({
    ...pgClientConfig(target.connection, target.ssl),
    application_name: `mas-${purpose}`,
  });
  await client.connect();
  return client;
}
