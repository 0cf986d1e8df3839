/**
 * Backup and restore throughput of libs/backup against pg_dump / pg_restore of the same database,
 * in the same run.
 *
 * Fills a migrated database (users, wallets and a chained ledger, slots, CRM leads), then times:
 * our backup (one REPEATABLE READ snapshot, COPY per table, AES-256-GCM container), our restore
 * into an empty database (file check, migrations to the head, COPY FROM, index rebuild and the
 * verification against the manifest), and `pg_dump -Fc -Z0` / `pg_restore` (uncompressed, like
 * ours) of the same database. Throughput is the database's size (pg_database_size) per second;
 * peak RSS is sampled during each of our phases. Prints `ratio:` lines (ours / pg_dump).
 *
 *   npm run bench:backup   (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/mas_bench_backup;
 *                           its name must start with mas_bench; dropped and recreated unless
 *                           BENCH_BACKUP_REUSE=true finds it filled; needs pg_dump/pg_restore on PATH)
 *   BENCH_BACKUP_USERS (20000), BENCH_BACKUP_LEDGER (20 rows per user), BENCH_BACKUP_SLOTS (20 per
 *   expert), BENCH_BACKUP_LEADS (200000), BENCH_BACKUP_KEEP_SOURCE=true to leave the source database
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { formatVerification, restoreBackup, writeBackup } from '@mas/backup';
import {
  connectionUrl,
  type DatabaseConnection,
  dropDatabase,
  ensureDatabaseExists,
  loadDatabaseConfig,
  migrateDatabase,
} from '@mas/persistence';
import pg from 'pg';
import { fillBackupData } from './support/backup-data.js';

const run = promisify(execFile);
const MB = 1024 * 1024;
const KEY = 'bench-backup-passphrase-not-a-secret';
const DATABASE_URL =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mas_bench_backup';
const flag = (name: string) => process.env[name] === 'true';
const scale = {
  users: Number(process.env.BENCH_BACKUP_USERS ?? 20_000),
  ledgerPerUser: Number(process.env.BENCH_BACKUP_LEDGER ?? 20),
  slotsPerExpert: Number(process.env.BENCH_BACKUP_SLOTS ?? 20),
  leads: Number(process.env.BENCH_BACKUP_LEADS ?? 200_000),
};

async function withClient<T>(
  connection: DatabaseConnection,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: connectionUrl(connection) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function prepareSource(source: DatabaseConnection): Promise<void> {
  if (flag('BENCH_BACKUP_REUSE')) {
    await ensureDatabaseExists(source, false);
    const filled = await withClient(source, async (client) => {
      const { rows } = await client.query<{ found: boolean }>(
        "SELECT to_regclass('public.token_usages') IS NOT NULL AS found",
      );
      return rows[0].found && (await client.query('SELECT 1 FROM token_usages LIMIT 1')).rowCount;
    });
    if (filled) return;
  }
  await dropDatabase(source, false);
  await migrateDatabase(source);
  const started = performance.now();
  await withClient(source, (client) => fillBackupData(client, scale));
  console.log(`filled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Runs `work`, sampling this process's RSS every 50 ms; returns seconds and the peak in MB. */
async function measured<T>(
  work: () => Promise<T>,
): Promise<{ value: T; seconds: number; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  try {
    const value = await work();
    return { value, seconds: (performance.now() - started) / 1000, peakMb: peak / MB };
  } finally {
    clearInterval(sampler);
  }
}

async function main(): Promise<void> {
  const source = loadDatabaseConfig({ DATABASE_URL }).connection!;
  if (!source.database.startsWith('mas_bench')) {
    throw new Error(
      `refusing to use ${source.database}: the bench database name must start with mas_bench`,
    );
  }
  const ours = { ...source, database: `${source.database}_restored` };
  const theirs = { ...source, database: `${source.database}_pg_restored` };
  const dir = await mkdtemp(join(tmpdir(), 'mas-bench-backup-'));
  try {
    await prepareSource(source);
    const databaseBytes = await withClient(source, async (client) => {
      const { rows } = await client.query<{ size: string }>(
        'SELECT pg_database_size(current_database()) AS size',
      );
      return Number(rows[0].size);
    });
    const sizeMb = databaseBytes / MB;
    console.log(`database ${source.database}: ${sizeMb.toFixed(1)} MB (pg_database_size)`);

    const file = join(dir, 'ours.masbackup');
    const backup = await measured(() =>
      writeBackup({ source: { connection: source, ssl: false }, file, passphrase: KEY }),
    );
    const rows = backup.value.tables.reduce((sum, table) => sum + table.rows, 0);
    const fileMb = (await stat(file)).size / MB;
    await dropDatabase(ours, false);
    const restore = await measured(() =>
      restoreBackup({ file, passphrase: KEY, target: { connection: ours, ssl: false } }),
    );
    console.log(formatVerification(restore.value.verification));

    const dump = join(dir, 'pg_dump.custom');
    const url = connectionUrl(source);
    const pgDump = await measured(() => run('pg_dump', ['-Fc', '-Z0', '-f', dump, url]));
    const dumpMb = (await stat(dump)).size / MB;
    await dropDatabase(theirs, false);
    await ensureDatabaseExists(theirs, false);
    const pgRestore = await measured(() =>
      run('pg_restore', ['-d', connectionUrl(theirs), dump], { maxBuffer: 64 * MB }),
    );

    const rate = (seconds: number) => sizeMb / seconds;
    const line = (name: string, seconds: number, extra: string) =>
      console.log(
        `${name.padEnd(12)} ${seconds.toFixed(1).padStart(7)} s  ${rate(seconds).toFixed(1).padStart(7)} MB/s  ${extra}`,
      );
    console.log(
      `rows: ${rows}; ours ${fileMb.toFixed(1)} MB encrypted, pg_dump ${dumpMb.toFixed(1)} MB`,
    );
    line('backup', backup.seconds, `peak RSS ${backup.peakMb.toFixed(0)} MB`);
    line('pg_dump', pgDump.seconds, '(-Fc -Z0)');
    line('restore', restore.seconds, `peak RSS ${restore.peakMb.toFixed(0)} MB, verified`);
    line('pg_restore', pgRestore.seconds, '(one job, no verification)');
    console.log(
      `ratio: ${(pgDump.seconds / backup.seconds).toFixed(2)}  (backup MB/s / pg_dump MB/s)`,
    );
    console.log(
      `ratio: ${(pgRestore.seconds / restore.seconds).toFixed(2)}  (restore MB/s / pg_restore MB/s)`,
    );
    console.log(
      `restore time per GB: ${((restore.seconds / databaseBytes) * 1024 ** 3).toFixed(0)} s ` +
        `(pg_restore ${((pgRestore.seconds / databaseBytes) * 1024 ** 3).toFixed(0)} s)`,
    );
    if (!restore.value.verification.ok) process.exitCode = 1;
  } finally {
    await dropDatabase(ours, false);
    await dropDatabase(theirs, false);
    if (!flag('BENCH_BACKUP_KEEP_SOURCE')) await dropDatabase(source, false);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
