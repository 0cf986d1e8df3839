/**
 * Read replicas: list reads (GET /api/mentorship/slots, 32 connections, signed-in students) against
 * an instance that reads from the primary alone and one that sends them to a streaming replica,
 * in alternating rounds on the same data; then the cost of the read-your-writes check itself (the
 * caller's last write position from Redis, compared with the replica's replayed position), timed
 * around ReplicaReads with no query behind it. The primary and its replica are private clusters
 * (initdb + pg_basebackup) on this machine, so they share its cores: the replica adds no CPU here,
 * only a second server for the reads.
 *
 *   npm run bench:replica   BENCH_SECONDS (4 per round), BENCH_ROUNDS (3), BENCH_CONNECTIONS (32)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import { TokenService, User } from '@mas/identity';
import { ReplicaReads, ReplicaSet } from '@mas/persistence';
import autocannon from 'autocannon';
import type pg from 'pg';
import { DataSource, In } from 'typeorm';
import { PrivatePostgres } from './support/private-postgres.js';
import { withScratchApp } from './support/scratch-app.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const STUDENTS = 32;
const SLOTS = 5000;
const CHECKS = 5000;

async function seed(pool: pg.Pool): Promise<{ mentorId: string; studentIds: string[] }> {
  const insertUsers = (role: string, count: number) =>
    pool.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, full_name, role)
       SELECT $1::text || i || '@bench.local', 'never-logs-in', $1::text || ' ' || i, $1::user_role
         FROM generate_series(1, $2) i RETURNING id`,
      [role, count],
    );
  const [mentor] = (await insertUsers('expert', 1)).rows;
  const studentIds = (await insertUsers('student', STUDENTS)).rows.map((row) => row.id);
  await pool.query(
    `INSERT INTO slots (mentor_id, starts_at, ends_at, price_tokens)
     SELECT $1, t, t + interval '30 minutes', 1
       FROM generate_series(1, $2) n, LATERAL (SELECT now() + interval '1 day' + n * interval '30 minutes' AS t) s`,
    [mentor.id, SLOTS],
  );
  return { mentorId: mentor.id, studentIds };
}

async function tokensOf(app: INestApplication, ids: string[]): Promise<string[]> {
  const users = await app
    .get(DataSource)
    .getRepository(User)
    .findBy({ id: In(ids) });
  return Promise.all(users.map((user) => app.get(TokenService).issue(user)));
}

interface Round {
  requests: number;
  seconds: number;
  p99: number;
  errors: number;
}

function readLoad(baseUrl: string, path: string, tokens: string[]): Promise<Round> {
  let next = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: baseUrl,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [
          {
            method: 'GET',
            path,
            setupRequest: (request) => ({
              ...request,
              headers: { authorization: `Bearer ${tokens[next++ % tokens.length]}` },
            }),
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        resolve({
          requests: result['2xx'],
          seconds: result.duration,
          p99: result.latency.p99,
          errors: result.non2xx + result.errors,
        });
      },
    );
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Microseconds per ReplicaReads.run with no query behind it: the routing decision alone. */
async function routingMicros(reads: ReplicaReads, callerIds: string[]): Promise<number[]> {
  const micros: number[] = [];
  for (let i = 0; i < CHECKS; i++) {
    const started = process.hrtime.bigint();
    await reads.run(callerIds[i % callerIds.length], () => Promise.resolve(0));
    micros.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  return micros.sort((a, b) => a - b);
}

const primary = await PrivatePostgres.create();
const replica = await PrivatePostgres.replicaOf(primary);
try {
  process.env.DATABASE_URL = primary.url('mas_bench_replica');
  const env = { APP_ROLE: 'api', BULLMQ_PREFIX: 'mas-bench-replica', DB_POOL_MAX: '32' };
  await withScratchApp(process.env.DATABASE_URL, env, async (scratch) => {
    const { mentorId, studentIds } = await seed(scratch.pool);
    const withReplica = await scratch.startInstance({
      DB_READ_URLS: replica.url('mas_bench_replica'),
      DB_REPLICA_CHECK_MS: '200',
    });
    const replicas = withReplica.app.get(ReplicaSet);
    while (replicas.replicas[0].current.status !== 'up') await sleep(100);
    const reads = withReplica.app.get(ReplicaReads);
    const served = { replica: 0, primary: 0 };
    reads.onRead((target) => served[target]++);
    const tokens = await tokensOf(scratch.app, studentIds);
    const path = `/api/mentorship/slots?mentorId=${mentorId}&limit=20`;
    console.log(
      `replica reads: ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s, ${SLOTS} slots`,
    );
    await readLoad(scratch.baseUrl, path, tokens);
    const alone: Round[] = [];
    const spread: Round[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      alone.push(await readLoad(scratch.baseUrl, path, tokens));
      spread.push(await readLoad(withReplica.baseUrl, path, tokens));
      const rate = (run: Round) => (run.requests / run.seconds).toFixed(0);
      console.log(
        `  round ${round + 1}: primary alone ${rate(alone[round])}/s, with replica ${rate(spread[round])}/s`,
      );
    }
    const summary = (label: string, runs: Round[]) => {
      const requests = runs.reduce((sum, run) => sum + run.requests, 0);
      const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
      const errors = runs.reduce((sum, run) => sum + run.errors, 0);
      const p99 = Math.max(...runs.map((run) => run.p99));
      console.log(
        `${label}  ${(requests / seconds).toFixed(0)} reads/s  p99 ${p99} ms  errors ${errors}`,
      );
      return requests / seconds;
    };
    const alonePerSecond = summary('primary alone          ', alone);
    const spreadPerSecond = summary('replica serving reads  ', spread);
    const share = served.replica / (served.replica + served.primary);
    console.log(
      `reads served by the replica: ${(share * 100).toFixed(1)}% (${served.replica} of ${served.replica + served.primary})`,
    );
    console.log(`ratio: ${(spreadPerSecond / alonePerSecond).toFixed(2)}`);

    // The check alone: no position recorded (a Redis miss), then a recorded one (hit + compare),
    // against the same call on the instance without replicas (no check at all).
    const noCheck = await routingMicros(scratch.app.get(ReplicaReads), studentIds);
    const miss = await routingMicros(reads, studentIds);
    for (const id of studentIds) await reads.noteWriteBy(id);
    await sleep(500);
    const hit = await routingMicros(reads, studentIds);
    const line = (label: string, micros: number[]) =>
      console.log(
        `${label}  p50 ${percentile(micros, 50).toFixed(0)} µs  p99 ${percentile(micros, 99).toFixed(0)} µs`,
      );
    line('routing, no replicas configured       ', noCheck);
    line('routing + LSN check, no write recorded', miss);
    line('routing + LSN check, write recorded   ', hit);
    const added = percentile(hit, 99) - percentile(noCheck, 99);
    console.log(`p99 added by the LSN check: ${(added / 1000).toFixed(3)} ms`);
  });
} finally {
  await replica.destroy();
  await primary.destroy();
}
