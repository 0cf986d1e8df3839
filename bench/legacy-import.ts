/**
 * legacy:import at scale: a generated legacy database with LEGACY_BENCH_ROWS ledger rows is
 * imported by the real command (`legacy-import.js` as a child process; its rate is over the time its steps took,
 * printed by the command, the wall time with the app's boot is shown too), and,
 * in the same run, the same rows are moved by a plain baseline through the same driver: keyset
 * batches read from the source and inserted into plain copies of the staging tables, with no
 * checkpoints, no per-batch transactions and no phases. Prints rows/s of both,
 * `ratio: <import/baseline>` and the command's peak RSS (VmHWM from /proc, polled).
 *
 *   npm run bench:legacy   (LEGACY_BENCH_SOURCE_URL, default postgres://postgres@127.0.0.1:5432/mas_bench_legacy_source,
 *                           and DATABASE_URL, default …/mas_bench_legacy_target: both dropped and
 *                           recreated, so their names must start with mas_bench)
 *   LEGACY_BENCH_ROWS (1000000 ledger rows), LEGACY_BENCH_USERS (rows / 50), LEGACY_BENCH_BATCH (1000, the command's default)
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  connectionUrl,
  dropDatabase,
  ensureDatabaseExists,
  loadDatabaseConfig,
} from '@mas/persistence';
import pg from 'pg';

const ROWS = Number(process.env.LEGACY_BENCH_ROWS ?? 1_000_000);
const USERS = Number(process.env.LEGACY_BENCH_USERS ?? Math.max(Math.round(ROWS / 50), 1));
const BATCH = Number(process.env.LEGACY_BENCH_BATCH ?? 1_000); // the command's default
const SOURCE_URL =
  process.env.LEGACY_BENCH_SOURCE_URL ??
  'postgres://postgres@127.0.0.1:5432/mas_bench_legacy_source';
const TARGET_URL =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mas_bench_legacy_target';
const CLI = fileURLToPath(new URL('../apps/api/src/cli/legacy-import.js', import.meta.url));
/** As package.json's legacy:import script runs it (see the README: what keeps its memory flat). */
const NODE_FLAGS = ['--max-old-space-size=192'];
const SCHEMA = fileURLToPath(new URL('../../libs/legacy/sql/legacy-schema.sql', import.meta.url));
/** The tables the generator fills, with the columns the baseline moves (all of them). */
const TABLES = ['users', 'tokens', 'token_usage'];

function freshDatabase(url: string) {
  const connection = loadDatabaseConfig({ DATABASE_URL: url }).connection!;
  if (!connection.database.startsWith('mas_bench')) {
    console.error(`refusing to drop ${url}: the database name must start with mas_bench`);
    process.exit(1);
  }
  return connection;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

async function generateLegacy(client: pg.Client): Promise<number> {
  await client.query(await readFile(SCHEMA, 'utf8'));
  await client.query(
    `INSERT INTO users (email, password, "fullName", "createdAt")
     SELECT 'user' || g || '@example.com', '$2a$10$abcdefghijklmnopqrstuuJpC2O0rKjFkWlF2VZ1pk3C3M8QvGxy6',
            'User ' || g, timestamp '2020-01-01' + g * interval '1 minute'
       FROM generate_series(1, $1::int) g`,
    [USERS],
  );
  await client.query(
    `CREATE TEMP TABLE numbered AS SELECT id, row_number() OVER (ORDER BY id) AS n FROM users`,
  );
  await client.query(
    `INSERT INTO token_usage ("userId", "usageType", "tokensUsed", "balanceBefore", "balanceAfter", "createdAt")
     SELECT u.id, CASE WHEN g % 3 = 0 THEN 'meeting_booking' ELSE 'allotment' END::token_usage_usagetype_enum,
            CASE WHEN g % 3 = 0 THEN 1 ELSE -1 END, 0, 0, timestamp '2020-02-01' + g * interval '1 second'
       FROM generate_series(1, $1::int) g JOIN numbered u ON u.n = g % $2 + 1`,
    [ROWS, USERS],
  );
  await client.query(
    `INSERT INTO tokens ("userId", balance)
     SELECT u.id, coalesce((SELECT -sum("tokensUsed") FROM token_usage t WHERE t."userId" = u.id), 0)
       FROM users u`,
  );
  await client.query('ANALYZE');
  const { rows } = await client.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM tokens)
          + (SELECT count(*) FROM token_usage) AS n`,
  );
  return Number(rows[0].n);
}

const DB_CLI = fileURLToPath(new URL('../apps/api/src/cli/db.js', import.meta.url));

/**
 * The target as a deployed backend leaves it: migrated, its admin seeded (`db:seed` boots the app
 * once). Done beforehand so the import's boot does neither: the admin's scrypt hash alone takes
 * 128 MB for a moment, which is the app's first boot, not the import.
 */
async function prepareTarget(): Promise<void> {
  const child = spawn(process.execPath, [DB_CLI, 'seed'], {
    env: { ...process.env, DATABASE_URL: TARGET_URL, LOG_LEVEL: 'warn', DB_POOL_MIN: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`db:seed on the target exited with ${code}`);
}

/** Runs the command and polls its VmHWM (peak resident set) until it exits. */
async function runImport(): Promise<{ code: number | null; peakKb: number; output: string }> {
  const child = spawn(
    process.execPath,
    [...NODE_FLAGS, CLI, '--from', SOURCE_URL, '--batch-size', String(BATCH)],
    {
      env: { ...process.env, DATABASE_URL: TARGET_URL, LOG_LEVEL: 'warn', DB_POOL_MIN: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let peakKb = 0;
  const poll = setInterval(() => {
    readFile(`/proc/${child.pid}/status`, 'utf8')
      .then((status) => {
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peakKb = Math.max(peakKb, kb);
      })
      .catch(() => undefined);
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  return { code, peakKb, output };
}

/** The same rows through the same driver and batch transfer, into plain tables: no checkpoints, no phases. */
async function baseline(source: pg.Client, target: pg.Client): Promise<number> {
  let moved = 0;
  await target.query('CREATE SCHEMA bench_baseline');
  for (const table of TABLES) {
    await target.query(
      `CREATE TABLE bench_baseline."${table}" (LIKE legacy_import."${table}" INCLUDING ALL)`,
    );
    let last: string | null = null;
    for (;;) {
      const { rows }: pg.QueryResult<{ rows: string; n: number; last: string | null }> =
        await source.query(
          `SELECT coalesce(json_agg(t ORDER BY t.id), '[]')::text AS rows, count(*)::int AS n,
                  (array_agg(t.id ORDER BY t.id DESC))[1]::text AS last
             FROM (SELECT * FROM "${table}" WHERE id > $2::uuid ORDER BY id LIMIT $1) t`,
          [BATCH, last ?? '00000000-0000-0000-0000-000000000000'],
        );
      if (!rows[0].n) break;
      await target.query(
        `INSERT INTO bench_baseline."${table}"
         SELECT * FROM json_populate_recordset(NULL::bench_baseline."${table}", $1::json)`,
        [rows[0].rows],
      );
      moved += rows[0].n;
      last = rows[0].last;
    }
  }
  return moved;
}

const sourceConnection = freshDatabase(SOURCE_URL);
const targetConnection = freshDatabase(TARGET_URL);
for (const connection of [sourceConnection, targetConnection]) {
  await dropDatabase(connection, false);
  await ensureDatabaseExists(connection, false);
}
const source = new pg.Client({ connectionString: connectionUrl(sourceConnection) });
const target = new pg.Client({ connectionString: connectionUrl(targetConnection) });
await source.connect();
await target.connect();
try {
  const generated = await timed(() => generateLegacy(source));
  const legacyRows = generated.result;
  console.log(
    `legacy: ${ROWS.toLocaleString('en-US')} ledger rows, ${USERS.toLocaleString('en-US')} users ` +
      `(${legacyRows.toLocaleString('en-US')} rows in all), generated in ${generated.seconds.toFixed(1)} s; batch ${BATCH}`,
  );
  await prepareTarget();

  await target.query('CHECKPOINT');
  const imported = await timed(runImport);
  if (imported.result.code !== 0) {
    console.error(imported.result.output);
    throw new Error(`legacy:import exited with ${imported.result.code}`);
  }
  await target.query('CHECKPOINT');
  const copied = await timed(() => baseline(source, target));

  const rate = (rows: number, seconds: number) => rows / seconds;
  // The command's own time for its steps (stdout's first line); the wall time adds the app's boot.
  const worked = Number(/completed in ([\d.]+) s/.exec(imported.result.output)?.[1]);
  const importRate = rate(legacyRows, worked);
  const baselineRate = rate(copied.result, copied.seconds);
  const line = (name: string, seconds: number, perSecond: number) =>
    `${name} ${seconds.toFixed(1).padStart(6)} s  ${Math.round(perSecond).toLocaleString('en-US').padStart(9)} rows/s`;
  const withBoot = Math.round(rate(legacyRows, imported.seconds)).toLocaleString('en-US');
  console.log(
    `${line('import   (npm run legacy:import, its steps)', worked, importRate)}` +
      `  (${imported.seconds.toFixed(1)} s, ${withBoot} rows/s with the app's boot)`,
  );
  console.log(
    line('baseline (keyset read → INSERT … SELECT, same driver)', copied.seconds, baselineRate),
  );
  console.log(`ratio: ${(importRate / baselineRate).toFixed(2)}`);
  console.log(`peak RSS of the import: ${(imported.result.peakKb / 1024).toFixed(0)} MB`);
  console.log(imported.result.output.split('\n').find((text) => text.startsWith('money parity')));
} finally {
  await source.end();
  await target.end();
}
