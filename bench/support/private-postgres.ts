import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  type DatabaseConnection,
  ensureDatabaseExists,
  loadDatabaseConfig,
} from '@mas/persistence';
import pg from 'pg';
import { DatabaseSessions } from './database-sessions.js';
import { freePort } from './free-port.js';

const run = promisify(execFile);
const BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

/** A database on a private server, shaped like the tests' TestDatabase. */
export interface PrivateDatabase {
  connection: DatabaseConnection;
  url: string;
  sql(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  session(): Promise<pg.Client>;
  drop(): Promise<void>;
  /** Closes the sessions and the pool behind `sql`. */
  end(): Promise<void>;
}

/**
 * A PostgreSQL cluster of its own (initdb in a temporary directory, a free port) that a test may
 * stop, crash and start again without touching the shared server. Run as the `postgres` user when
 * the tests run as root, since the server refuses to run as root.
 */
export class PrivatePostgres {
  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  static create(): Promise<PrivatePostgres> {
    return PrivatePostgres.made((server) =>
      server.pg('initdb', ['-D', server.data, '-A', 'trust', '-U', 'postgres', '--no-sync']),
    );
  }

  /**
   * A streaming replica of `primary` (pg_basebackup -R: a standby that follows the primary's WAL),
   * read-only, on a port of its own.
   */
  static replicaOf(primary: PrivatePostgres): Promise<PrivatePostgres> {
    return PrivatePostgres.made((server) =>
      server.pg('pg_basebackup', [
        ...['-D', server.data, '-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres'],
        ...['-R', '-X', 'stream', '--no-sync'],
      ]),
    );
  }

  private static async made(
    fill: (server: PrivatePostgres) => Promise<void>,
  ): Promise<PrivatePostgres> {
    const dir = await mkdtemp(join(tmpdir(), 'mas-private-pg-'));
    const server = new PrivatePostgres(dir, await freePort());
    try {
      if (process.getuid?.() === 0) {
        const ids = await run('id', ['-u', 'postgres']).then(({ stdout }) => Number(stdout));
        const group = await run('id', ['-g', 'postgres']).then(({ stdout }) => Number(stdout));
        await chown(dir, ids, group);
      }
      await fill(server);
      await server.start();
      return server;
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  get data(): string {
    return join(this.dir, 'data');
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /**
   * A database on this server (created on a primary, only opened on a replica); `drop` leaves it,
   * since the server goes with `destroy`.
   */
  async database(name: string): Promise<PrivateDatabase> {
    const connection = loadDatabaseConfig({ DATABASE_URL: this.url(name) }).connection!;
    await ensureDatabaseExists(connection, false);
    const pool = new pg.Pool({ connectionString: this.url(name), max: 2 });
    pool.on('error', () => undefined);
    const sessions = new DatabaseSessions(this.url(name));
    return {
      connection,
      url: this.url(name),
      sql: (text, values) => pool.query(text, values),
      session: () => sessions.session(),
      drop: () => Promise.resolve(),
      end: async () => {
        await sessions.closeAll();
        await pool.end();
      },
    };
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await this.pg('pg_ctl', [
      '-D',
      this.data,
      '-o',
      options,
      '-l',
      join(this.dir, 'log'),
      '-w',
      'start',
    ]);
  }

  /** `fast`: sessions are terminated and the server shuts down; `immediate`: it crashes. */
  async stop(mode: 'fast' | 'immediate'): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.data, '-m', mode, '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }

  private async pg(program: string, args: string[]): Promise<void> {
    const command = join(BIN, program);
    if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', command, ...args]);
    else await run(command, args);
  }
}
