import { type ChildProcessByStdio, execFile, spawn } from 'node:child_process';
import { type Readable, type Writable } from 'node:stream';
import { promisify } from 'node:util';
import { type DatabaseConnection } from '@mas/persistence';
import { BackupRefusedError } from '../errors.js';

const run = promisify(execFile);

/** The major version of an installed client tool (`pg_dump`, `pg_restore`), or null when missing. */
export async function toolMajor(tool: 'pg_dump' | 'pg_restore'): Promise<number | null> {
  try {
    const { stdout } = await run(tool, ['--version']);
    const match = /\(PostgreSQL\) (\d+)/.exec(stdout);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Refuses a tool older than the server it must talk to (pg_dump refuses it anyway, later). */
export async function requireToolFor(
  tool: 'pg_dump' | 'pg_restore',
  serverMajor: number,
): Promise<number> {
  const major = await toolMajor(tool);
  if (major === null) {
    throw new BackupRefusedError(`${tool} is not installed: use the copy engine (the default)`);
  }
  if (major < serverMajor) {
    throw new BackupRefusedError(
      `${tool} ${major} is older than PostgreSQL ${serverMajor}: use the copy engine (the default)`,
    );
  }
  return major;
}

export type ToolProcess = ChildProcessByStdio<Writable, Readable, Readable>;

/**
 * Starts a client tool on `connection`, the password in its environment (never in its arguments,
 * which `ps` shows). Its stderr is kept (the last few kilobytes) for the error message.
 */
export function startTool(
  tool: 'pg_dump' | 'pg_restore',
  args: string[],
  connection: DatabaseConnection,
  ssl: boolean,
): { child: ToolProcess; exited: Promise<void> } {
  const child = spawn(tool, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PGHOST: connection.host,
      PGPORT: String(connection.port),
      PGUSER: connection.username,
      PGDATABASE: connection.database,
      PGSSLMODE: ssl ? 'verify-full' : 'prefer',
      ...(connection.password ? { PGPASSWORD: connection.password } : {}),
    },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${tool} exited with ${code}: ${stderr.trim()}`)),
    );
  });
  return { child, exited };
}
