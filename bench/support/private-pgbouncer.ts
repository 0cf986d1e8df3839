import { execFile } from 'node:child_process';
import { access, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const BIN = process.env.PGBOUNCER_BIN ?? '/usr/sbin/pgbouncer';

export interface PgBouncerOptions {
  /** A free port to listen on (freePort()). */
  port: number;
  /** Server connections per database and user: fewer than the app's pool proves it needs none of its own. */
  poolSize?: number;
}

/**
 * A real PgBouncer in `pool_mode = transaction` in a temporary directory, in front of the server of
 * `serverUrl`: a wildcard database entry, so any database on that server (each test's own) is
 * reachable through it as postgres://<user>@127.0.0.1:<port>/<database>. It trusts its clients,
 * logs in to the server as the URL says, and runs no reset query, so session state left on a
 * server connection is seen by whichever client gets that connection next. Runs as the `postgres`
 * user when the tests run as root (PgBouncer refuses root).
 */
export class PrivatePgBouncer {
  readonly port: number;
  private readonly dir: string;

  private constructor(dir: string, port: number) {
    this.dir = dir;
    this.port = port;
  }

  static async start(serverUrl: string, options: PgBouncerOptions): Promise<PrivatePgBouncer> {
    await access(BIN).catch(() => {
      throw new Error(
        `pgbouncer is not installed (${BIN} not found): apt-get install -y pgbouncer, as .ci/run does`,
      );
    });
    const dir = await mkdtemp(join(tmpdir(), 'mas-pgbouncer-'));
    const bouncer = new PrivatePgBouncer(dir, options.port);
    try {
      await bouncer.writeConfig(new URL(serverUrl), options.poolSize ?? 20);
      if (process.getuid?.() === 0) await chownToPostgres(dir);
      await runAsPostgres(BIN, ['-d', bouncer.file('pgbouncer.ini')]);
      await bouncer.waitUntilListening();
      return bouncer;
    } catch (error) {
      await bouncer.stop();
      throw error;
    }
  }

  /** This bouncer's URL for `database` (the same name as on the server). */
  url(database: string, user = 'postgres'): string {
    return `postgres://${user}@127.0.0.1:${this.port}/${database}`;
  }

  /** Rows of one of the admin console's SHOW commands (POOLS, CLIENTS, SERVERS, ...). */
  async show(what: string): Promise<Record<string, unknown>[]> {
    const admin = new pg.Client({ connectionString: this.url('pgbouncer') });
    await admin.connect();
    try {
      return (await admin.query(`SHOW ${what}`)).rows as Record<string, unknown>[];
    } finally {
      await admin.end();
    }
  }

  async stop(): Promise<void> {
    const pid = Number(await readFile(this.file('pgbouncer.pid'), 'utf8').catch(() => ''));
    if (pid) {
      // SIGTERM: immediate shutdown, client connections closed.
      signal(pid, 'SIGTERM');
      while (signal(pid, 0)) await sleep(20);
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private file(name: string): string {
    return join(this.dir, name);
  }

  private async writeConfig(server: URL, poolSize: number): Promise<void> {
    // Clients are trusted; PgBouncer logs in to the server with the URL's user and password.
    const user = decodeURIComponent(server.username) || 'postgres';
    const password = decodeURIComponent(server.password);
    await writeFile(this.file('userlist.txt'), `"${user}" "${password}"\n`);
    const settings = [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${this.port}`,
      `unix_socket_dir =`,
      `logfile = ${this.file('pgbouncer.log')}`,
      `pidfile = ${this.file('pgbouncer.pid')}`,
      'auth_type = trust',
      `auth_file = ${this.file('userlist.txt')}`,
      'admin_users = postgres',
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 2000',
      'server_reset_query =',
      // After a refused server login, clients are refused this long (default 15 s): tests that
      // turn a database's connections off and on again want it back within a second.
      'server_login_retry = 1',
    ];
    await writeFile(this.file('pgbouncer.ini'), `${settings.join('\n')}\n`);
  }

  private async waitUntilListening(): Promise<void> {
    for (let attempt = 0; attempt < 250; attempt++) {
      if (await accepts(this.port)) return;
      await sleep(20);
    }
    const log = await readFile(this.file('pgbouncer.log'), 'utf8').catch(() => '');
    throw new Error(`pgbouncer did not listen on ${this.port}:\n${log}`);
  }
}

function signal(pid: number, name: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function chownToPostgres(dir: string): Promise<void> {
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout);
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout);
  await chown(dir, uid, gid);
}

async function runAsPostgres(command: string, args: string[]): Promise<void> {
  if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', command, ...args]);
  else await run(command, args);
}
