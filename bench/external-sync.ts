/**
 * The external sync's throughput: BENCH_SYNC_RECORDS records (half Mr. Learn learners, half
 * enrollments) pulled by SourceSync from a fake platform over HTTP (its own process, keep-alive,
 * pages of BENCH_SYNC_PAGE_SIZE, a transaction per page with the sync_state fence), against the
 * baseline of the same upserts (PageWriter, same pages, a transaction per page) read from a local
 * NDJSON file. `ratio:` is HTTP rows/s over file rows/s: what the network, JSON and paging cost.
 *
 *   npm run bench:sync   (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/mas_bench_sync;
 *                         dropped and recreated, so its name must start with mas_bench)
 *   BENCH_SYNC_RECORDS (200000), BENCH_SYNC_PAGE_SIZE (1000)
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ExternalSyncModule,
  loadExternalSyncConfig,
  PageWriter,
  parseSourceItem,
  SOURCE_DEFINITIONS,
  SourceSync,
} from '@mas/external-sync';
import {
  connectionUrl,
  dropDatabase,
  ensureDatabaseExists,
  loadDatabaseConfig,
  PersistenceModule,
  TransactionRunner,
} from '@mas/persistence';
import { ALL_ENTITIES } from '../apps/api/src/database/entities.js';
import { enrollments, learners } from './support/partner-records.js';

const RECORDS = Number(process.env.BENCH_SYNC_RECORDS ?? 200_000);
const PAGE_SIZE = Number(process.env.BENCH_SYNC_PAGE_SIZE ?? 1000);
const PER_RESOURCE = Math.floor(RECORDS / 2);
const TOKEN = 'bench-token';
const DATABASE_URL =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mas_bench_sync';
const PLATFORM = fileURLToPath(new URL('./support/fake-platform-process.js', import.meta.url));

const source = SOURCE_DEFINITIONS.mrlearn;

async function startPlatform() {
  const child = spawn(process.execPath, [PLATFORM, String(PER_RESOURCE), TOKEN], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the fake platform exited ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]);
    });
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** The same records as the platform serves, one JSON object per line, learners first. */
async function writeRecordsFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  for (const [resource, records] of [
    ['learners', learners(PER_RESOURCE)],
    ['enrollments', enrollments(PER_RESOURCE)],
  ] as const) {
    for (const record of records) {
      if (!out.write(`${JSON.stringify({ resource, record })}\n`)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
}

/** The baseline: the file's records through PageWriter, PAGE_SIZE per transaction. */
async function upsertFromFile(app: INestApplicationContext, path: string): Promise<number> {
  const writer = app.get(PageWriter);
  const transactions = app.get(TransactionRunner);
  let page: { resource: string; records: unknown[] } | undefined;
  let rows = 0;
  const flush = async () => {
    if (!page?.records.length) return;
    const resource = source.resources.find((r) => r.name === page!.resource)!;
    const items = page.records.map((record) => parseSourceItem(resource, record));
    await transactions.run((tx) => writer.apply(tx, source, resource, items));
    rows += items.length;
    page = undefined;
  };
  for await (const line of createInterface({ input: createReadStream(path) })) {
    const { resource, record } = JSON.parse(line) as { resource: string; record: unknown };
    if (page && (page.resource !== resource || page.records.length === PAGE_SIZE)) await flush();
    page ??= { resource, records: [] };
    page.records.push(record);
  }
  await flush();
  return rows;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

const connection = loadDatabaseConfig({ DATABASE_URL }).connection;
if (!connection?.database.startsWith('mas_bench')) {
  console.error(`refusing to drop ${DATABASE_URL}: the database name must start with mas_bench`);
  process.exit(1);
}
await dropDatabase(connection, false);
await ensureDatabaseExists(connection, false);
const workDir = await mkdtemp(join(tmpdir(), 'mas-bench-sync-'));
const file = join(workDir, 'records.ndjson');
const platform = await startPlatform();
let app: INestApplicationContext | undefined;
try {
  await writeRecordsFile(file);
  const database = loadDatabaseConfig({
    DATABASE_URL: connectionUrl(connection),
    DB_POOL_MIN: '0',
    SEEDS_RUN: 'false',
    OUTBOX_RELAY_ENABLED: 'false',
  });
  const sync = loadExternalSyncConfig({
    MRLEARN_URL: platform.url,
    MRLEARN_TOKEN: TOKEN,
    SYNC_PAGE_SIZE: String(PAGE_SIZE),
  });
  @Module({
    imports: [
      PersistenceModule.forRoot({ config: database, connection, entities: ALL_ENTITIES }),
      ExternalSyncModule.forRoot(sync),
    ],
  })
  class BenchModule {}
  app = await NestFactory.createApplicationContext(BenchModule, { logger: ['warn', 'error'] });
  const sql = (text: string) => app!.get(TransactionRunner).manager().query(text);
  const reset = async () => {
    await sql('TRUNCATE mrlearn.learners, mrlearn.enrollments, mrlearn.sync_state');
    await sql('CHECKPOINT');
  };

  await reset();
  const fromFile = await timed(() => upsertFromFile(app!, file));
  await reset();
  const fromHttp = await timed(() => app!.get(SourceSync).run('mrlearn'));
  if (fromHttp.result.status !== 'done') {
    throw new Error(`the sync did not finish: ${JSON.stringify(fromHttp.result)}`);
  }
  const httpRows = fromHttp.result.resources.reduce((sum, r) => sum + r.items, 0);
  const [{ n }] = (await sql(
    'SELECT (SELECT count(*) FROM mrlearn.learners) + (SELECT count(*) FROM mrlearn.enrollments) AS n',
  )) as { n: string }[];
  if (Number(n) !== RECORDS || httpRows !== RECORDS || fromFile.result !== RECORDS) {
    throw new Error(
      `expected ${RECORDS} rows: http ${httpRows}, file ${fromFile.result}, table ${n}`,
    );
  }

  const rate = (rows: number, seconds: number) => Math.round(rows / seconds);
  const line = (label: string, seconds: number) =>
    `${label}${RECORDS.toLocaleString('en-US')} rows in ${seconds.toFixed(2).padStart(6)} s = ` +
    `${rate(RECORDS, seconds).toLocaleString('en-US').padStart(7)} rows/s`;
  console.log(
    `records: ${RECORDS.toLocaleString('en-US')} (${PER_RESOURCE.toLocaleString('en-US')} learners + ` +
      `${PER_RESOURCE.toLocaleString('en-US')} enrollments), pages of ${PAGE_SIZE}, a transaction per page`,
  );
  console.log(line('sync from the fake platform (HTTP)  ', fromHttp.seconds));
  console.log(line('same upserts from a local file       ', fromFile.seconds));
  console.log(
    `ratio: ${(rate(RECORDS, fromHttp.seconds) / rate(RECORDS, fromFile.seconds)).toFixed(2)}`,
  );
} finally {
  await app?.close();
  await platform.stop();
  await rm(workDir, { recursive: true, force: true });
  await dropDatabase(connection, false);
}
