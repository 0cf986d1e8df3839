import { realpath } from 'node:fs/promises';
import { connect } from 'node:net';
import pg from 'pg';
import { type DatabaseConnection } from '../config/database-config.js';

/** Who answers on the embedded port: nobody, our own data directory's server, or a stranger. */
export type PortOwner = { kind: 'free' } | { kind: 'ours' } | { kind: 'stranger'; detail: string };

const PROBE_TIMEOUT_MS = 2_000;
const STARTING_UP_RETRY_MS = 250;
const STARTING_UP_MAX_WAIT_MS = 30_000;
const STARTING_UP = '57P03';

/**
 * A server on the port is ours only if it says its data directory is `dataDir`: another
 * `npm start` or db:* command sharing the same embedded server. Anything else (another
 * PostgreSQL, another project's embedded one, something that is not PostgreSQL) is a stranger
 * the app must not borrow.
 */
export async function identifyPortOwner(
  connection: DatabaseConnection,
  dataDir: string,
): Promise<PortOwner> {
  if (!(await somethingListens(connection.host, connection.port))) return { kind: 'free' };
  const deadline = Date.now() + STARTING_UP_MAX_WAIT_MS;
  for (;;) {
    try {
      const served = await servedDataDirectory(connection);
      const ours = await realpath(dataDir).catch(() => dataDir);
      const theirs = await realpath(served).catch(() => served);
      return theirs === ours
        ? { kind: 'ours' }
        : { kind: 'stranger', detail: `a PostgreSQL serving ${served}` };
    } catch (error) {
      // Our own server, started a moment ago by another command, refuses connections briefly.
      const code = (error as { code?: string }).code;
      if (code === STARTING_UP && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, STARTING_UP_RETRY_MS));
        continue;
      }
      return {
        kind: 'stranger',
        detail: `no embedded PostgreSQL login there: ${(error as Error).message}`,
      };
    }
  }
}

function somethingListens(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: PROBE_TIMEOUT_MS });
    const finish = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.once('connect', () => finish(true));
    // A port nobody listens on is refused at once; a silent one is somebody's, not free.
    socket.once('timeout', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

async function servedDataDirectory(connection: DatabaseConnection): Promise<string> {
  const client = new pg.Client({
    ...connection,
    user: connection.username,
    database: 'postgres',
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ data_directory: string }>('SHOW data_directory');
    return result.rows[0].data_directory;
  } finally {
    await client.end().catch(() => undefined);
  }
}
