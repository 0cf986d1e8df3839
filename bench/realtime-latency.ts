/**
 * Realtime latency across instances: two API instances share a scratch database and Redis, a
 * Socket.IO client (the seeded admin) is connected to B, and realtime events for `role:admin` are
 * committed on A through OutboxService, one every BENCH_INTERVAL_MS. It prints commit → client
 * p50/p99 and the queries per second an idle instance sends (its pool's checkouts over
 * BENCH_IDLE_SECONDS: each is one statement or one transaction). The baseline, in
 * the same run, is the same measurement with OUTBOX_LISTEN=false: relays that only poll every
 * OUTBOX_POLL_MS (200 ms), as before LISTEN/NOTIFY. ratio = baseline p50 / LISTEN p50.
 *
 *   npm run bench:realtime   (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/mas_bench_realtime)
 *   BENCH_EVENTS (300), BENCH_INTERVAL_MS (25), BENCH_IDLE_SECONDS (10)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { OutboxService } from '@mas/persistence';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { connectAdminSocket } from './support/admin-socket.js';
import { withScratchApp } from './support/scratch-app.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 300);
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 25);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
const WARMUP_EVENTS = 20;
const INSTANCES = 2;
const TOPIC = 'bench.latency';

interface Measurement {
  latencies: number[];
  lost: number;
  idleQueriesPerSecond: number;
}

/**
 * Statements (or transactions) per second each idle instance sends: its pool's checkouts, which
 * every query and transaction makes. The LISTEN connection is outside the pool and sends nothing
 * while idle. (pg_stat_database counts would include autovacuum on the fresh database.)
 */
async function idleQueriesPerSecond(dataSources: DataSource[]): Promise<number> {
  let checkouts = 0;
  const pools = dataSources.map(
    (dataSource) => (dataSource.driver as unknown as { master: pg.Pool }).master,
  );
  if (new Set(pools).size !== pools.length) throw new Error('the instances share a pool');
  const count = () => checkouts++;
  pools.forEach((pool) => pool.on('acquire', count));
  const started = performance.now();
  await sleep(IDLE_SECONDS * 1000);
  const seconds = (performance.now() - started) / 1000;
  pools.forEach((pool) => pool.off('acquire', count));
  return checkouts / seconds / pools.length;
}

function measure(env: Record<string, string>): Promise<Measurement> {
  return withScratchApp(
    'postgres://postgres@127.0.0.1:5432/mas_bench_realtime',
    { APP_ROLE: 'api', ...env },
    async ({ app, pool, startInstance }) => {
      const b = await startInstance();
      const socket = await connectAdminSocket(b.app, b.baseUrl, pool);
      // Past the boot's own wake-ups (the listeners' first connect) before measuring idle.
      await sleep(2_000);
      const idle = await idleQueriesPerSecond([app.get(DataSource), b.app.get(DataSource)]);

      const receivedAt = new Map<number, number>();
      socket.on(TOPIC, (event: { data: { seq: number } }) => {
        if (!receivedAt.has(event.data.seq)) receivedAt.set(event.data.seq, performance.now());
      });
      const dataSource = app.get(DataSource);
      const outbox = app.get(OutboxService);
      const committedAt = new Map<number, number>();
      for (let seq = 0; seq < WARMUP_EVENTS + EVENTS; seq++) {
        await dataSource.transaction((tx) =>
          outbox.publish(tx, { type: TOPIC, data: { seq }, rooms: ['role:admin'] }),
        );
        committedAt.set(seq, performance.now());
        await sleep(INTERVAL_MS);
      }
      const deadline = performance.now() + 10_000;
      while (receivedAt.size < committedAt.size && performance.now() < deadline) await sleep(20);
      socket.close();

      const measured = [...committedAt].filter(([seq]) => seq >= WARMUP_EVENTS);
      const latencies = measured
        .filter(([seq]) => receivedAt.has(seq))
        .map(([seq, at]) => receivedAt.get(seq)! - at);
      return {
        latencies,
        lost: measured.length - latencies.length,
        idleQueriesPerSecond: idle,
      };
    },
  );
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function report(label: string, { latencies, lost, idleQueriesPerSecond }: Measurement): number {
  const sorted = [...latencies].sort((x, y) => x - y);
  const p50 = percentile(sorted, 0.5);
  console.log(
    `${label.padEnd(40)} p50 ${p50.toFixed(1).padStart(6)} ms  p99 ${percentile(sorted, 0.99)
      .toFixed(1)
      .padStart(6)} ms  max ${sorted[sorted.length - 1].toFixed(1).padStart(6)} ms  lost ${lost}` +
      `  idle ${idleQueriesPerSecond.toFixed(2)} queries/s per instance`,
  );
  return p50;
}

const listen = await measure({ OUTBOX_LISTEN: 'true', OUTBOX_FALLBACK_POLL_MS: '5000' });
const polling = await measure({ OUTBOX_LISTEN: 'false', OUTBOX_POLL_MS: '200' });

console.log(
  `realtime latency: commit on A → Socket.IO client on B, ${EVENTS} events ${INTERVAL_MS} ms apart` +
    ` (after ${WARMUP_EVENTS} warm-up), ${INSTANCES} instances, idle measured over ${IDLE_SECONDS} s`,
);
const listenP50 = report('LISTEN/NOTIFY (fallback poll 5000 ms)', listen);
const pollingP50 = report('baseline: polling every 200 ms', polling);
console.log(`ratio: ${(pollingP50 / listenP50).toFixed(2)}`);
process.exit(listen.lost === 0 && polling.lost === 0 ? 0 : 1);
