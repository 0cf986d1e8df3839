import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_VERIFY_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  name: string;
  client: pg.Client;
  /** Closes the connection and drops the database. */
  drop(): Promise<void>;
}

/** The server URL --verify uses: DATABASE_URL, else TEST_DATABASE_URL, else the local default. */
export function verifyServerUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL ?? env.TEST_DATABASE_URL ?? DEFAULT_VERIFY_URL;
}

/** Creates `mas_guard_verify_<random>` on the server of `serverUrl` and connects to it. */
export async function createScratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = `mas_guard_verify_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await client.connect();
  } catch (error: unknown) {
    await dropDatabase(serverUrl, name);
    throw error;
  }
  return {
    name,
    client,
    drop: async () => {
      await client.end();
      await dropDatabase(serverUrl, name);
    },
  };
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await onServer(serverUrl, (admin) =>
    admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  );
}

/**
 * Runs `work` on the server's maintenance database: the database DATABASE_URL names need not
 * exist yet (CI lints before anything creates it).
 */
async function onServer(
  serverUrl: string,
  work: (admin: pg.Client) => Promise<unknown>,
): Promise<void> {
  const maintenance = new URL(serverUrl);
  maintenance.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: maintenance.toString() });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}
