import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from '../config/database-config.js';
import { buildDataSourceOptions } from './data-source-options.js';

/** A backend message: type byte, length (itself included), body. */
function message(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4);
  return Buffer.concat([Buffer.from(type), length, body]);
}

const AUTHENTICATION_OK = message('R', Buffer.from([0, 0, 0, 0]));
const READY_FOR_QUERY = message('Z', Buffer.from('I'));
const ADMIN_SHUTDOWN = message(
  'E',
  Buffer.concat([
    ...['SFATAL', 'VFATAL', 'C57P01', 'Mterminating connection due to administrator command'].map(
      (field) => Buffer.from(`${field}\0`),
    ),
    Buffer.from([0]),
  ]),
);

/**
 * A server that accepts every connection and, in the same write as the ReadyForQuery that ends
 * its startup, terminates it as a Postgres shutting down does.
 */
async function shuttingDownServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket: Socket) => {
    socket.once('data', () => {
      socket.end(Buffer.concat([AUTHENTICATION_OK, READY_FOR_QUERY, ADMIN_SHUTDOWN]));
    });
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port };
}

describe('pool clients and a server that shuts down as they connect', () => {
  it.each([
    ['prepared statements on', 'true'],
    ['prepared statements off', 'false'],
  ])('fails the queries but never leaves an error event unheard (%s)', async (_, prepared) => {
    const { server, port } = await shuttingDownServer();
    const uncaught: Error[] = [];
    const record = (error: Error) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      const url = `postgres://postgres@127.0.0.1:${port}/mas`;
      const config = loadDatabaseConfig({ DATABASE_URL: url, DB_PREPARED_STATEMENTS: prepared });
      const dataSource = new DataSource(
        buildDataSourceOptions(config, config.connection!, { entities: [], migrations: [] }),
      );
      // TypeORM's own first connection is released at once; its query runners' are not.
      await dataSource.initialize().catch(() => undefined);
      for (let n = 0; n < 5; n++) await expect(dataSource.query('SELECT 1')).rejects.toThrow();
      if (dataSource.isInitialized) await dataSource.destroy();
      await new Promise((resolve) => setImmediate(resolve));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
      server.close();
    }
  });
});
