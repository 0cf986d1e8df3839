import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropDatabase, ensureDatabaseExists } from '../bootstrap/schema-bootstrap.js';
import { loadDatabaseConfig } from '../config/database-config.js';

export const DEFAULT_VERIFY_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  name: string;
  client: pg.Client;
  /** A second connection to the scratch database (closed by drop()). */
  secondSession(): Promise<pg.Client>;
  /** Closes the connections and drops the database. */
  drop(): Promise<void>;
}

/**
 * The server URL --verify uses: DATABASE_DIRECT_URL (its sessions must not go through a pooler),
 * else DATABASE_URL, else TEST_DATABASE_URL, else the local default.
 */
export function verifyServerUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_DIRECT_URL ?? env.DATABASE_URL ?? env.TEST_DATABASE_URL ?? DEFAULT_VERIFY_URL;
}

/**
 * Creates `mas_guard_verify_<random>` on the server of `serverUrl` and connects to it. Only the
 * server matters: the database the URL names need not exist (CI lints before anything creates it).
 */
export async function createScratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const server = loadDatabaseConfig({ DATABASE_URL: serverUrl }).connection!;
  const scratch = { ...server, database: `mas_guard_verify_${randomBytes(6).toString('hex')}` };
  await ensureDatabaseExists(scratch, false);
  const client = new pg.Client({ ...scratch, user: scratch.username });
  try {
    await client.connect();
  } catch (error: unknown) {
    await dropDatabase(scratch, false);
    throw error;
  }
  let second: pg.Client | undefined;
  return {
    name: scratch.database,
    client,
    secondSession: async () => {
      if (!second) {
        second = new pg.Client({ ...scratch, user: scratch.username });
        await second.connect();
      }
      return second;
    },
    drop: async () => {
      await second?.end();
      await client.end();
      await dropDatabase(scratch, false);
    },
  };
}
