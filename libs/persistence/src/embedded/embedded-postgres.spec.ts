import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadDatabaseConfig } from '../config/database-config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { identifyPortOwner } from './port-owner.js';

/** The test run's PostgreSQL (TEST_SERVER_URL), which the embedded server must never borrow. */
const testServer = () => {
  const { connection } = loadDatabaseConfig({ DATABASE_URL: process.env.TEST_SERVER_URL });
  if (!connection) throw new Error('TEST_SERVER_URL is not set');
  return connection;
};

const listen = (server: Server, port = 0) =>
  new Promise<number>((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );

describe('embedded PostgreSQL port ownership', () => {
  let dataDir: string;
  const servers: Server[] = [];
  const accepted: Socket[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mas-embedded-'));
  });

  afterEach(async () => {
    accepted.splice(0).forEach((socket) => socket.destroy());
    await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
    await rm(dataDir, { recursive: true, force: true });
  });

  const startOn = (port: number) =>
    startEmbeddedPostgres({ dataDir, port, database: 'mas' }).then(
      () => {
        throw new Error('expected the embedded start to be refused');
      },
      (error: Error) => error,
    );

  it('fails at once, naming the port, when a plain TCP server holds it', async () => {
    // Accepts connections and never answers, like a busy non-PostgreSQL service.
    const squatter = createServer((socket) => accepted.push(socket.on('error', () => undefined)));
    servers.push(squatter);
    const port = await listen(squatter);

    const started = Date.now();
    const error = await startOn(port);

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.message).toContain(`EMBEDDED_PG_PORT ${port} is taken`);
    expect(error.message).toContain(dataDir);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);
  });

  it('refuses another PostgreSQL on the port (the test server, left running) instead of using it', async () => {
    const server = testServer();

    const started = Date.now();
    const error = await startOn(server.port);

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.message).toContain(`EMBEDDED_PG_PORT ${server.port} is taken`);
    expect(error.message).toMatch(/a PostgreSQL serving \//);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);
    const client = new pg.Client({ ...server, user: server.username });
    await client.connect();
    await expect(client.query('SELECT 1 AS up')).resolves.toMatchObject({ rows: [{ up: 1 }] });
    await client.end();
  });

  it('recognises the server of its own data directory, and a free port', async () => {
    const server = testServer();
    const client = new pg.Client({ ...server, user: server.username });
    await client.connect();
    const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
    await client.end();

    await expect(identifyPortOwner(server, rows[0].data_directory)).resolves.toEqual({
      kind: 'ours',
    });
    await expect(identifyPortOwner(server, dataDir)).resolves.toMatchObject({ kind: 'stranger' });

    const probe = createServer();
    const freePort = await listen(probe);
    await new Promise((done) => probe.close(done));
    await expect(identifyPortOwner({ ...server, port: freePort }, dataDir)).resolves.toEqual({
      kind: 'free',
    });
  });
});
