/**
 * Workflow throughput: runs/s of a 5-step no-op workflow (4 × context.set, end) with one worker
 * process (APP_ROLE=all: API, outbox relay and one BullMQ worker, WORKFLOW_CONCURRENCY jobs at
 * once). Timed from the first start to the last completion, starts included. The baseline, in the
 * same run and database, executes the same steps as bare SQL transactions (lock the run, record
 * the step, move the run on) from as many concurrent connections: what the engine adds on top is
 * Nest, BullMQ, the outbox hop and the step bookkeeping in TypeScript. Rounds alternate engine and
 * baseline, so a machine whose speed drifts during the run slows both sides alike, after a
 * warm-up round of WARMUP_RUNS per side that is not counted.
 *
 *   npm run bench:workflow   (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/mas_bench_workflow)
 *   BENCH_RUNS (3000 per side, split over BENCH_ROUNDS (3) rounds), WORKFLOW_CONCURRENCY (10)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { QueueRegistry } from '@mas/jobs';
import { DefinitionsService, RunsService } from '@mas/workflow';
import type pg from 'pg';
import { withScratchApp } from './support/scratch-app.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RUNS_PER_ROUND = Math.ceil(RUNS / ROUNDS);
const WARMUP_RUNS = 300;
const CONCURRENCY = Number(process.env.WORKFLOW_CONCURRENCY ?? 10);
const STEPS = ['a', 'b', 'c', 'd'];

const config = {
  start: 'a',
  steps: {
    ...Object.fromEntries(
      STEPS.map((key, i) => [
        key,
        { type: 'action', action: 'context.set', next: STEPS[i + 1] ?? 'done' },
      ]),
    ),
    done: { type: 'end' },
  },
};

const result = await withScratchApp(
  'postgres://postgres@127.0.0.1:5432/mas_bench_workflow',
  {
    APP_ROLE: 'all',
    BULLMQ_PREFIX: 'bench-workflow',
    WORKFLOW_CONCURRENCY: String(CONCURRENCY),
    OUTBOX_POLL_MS: '20',
    OUTBOX_BATCH_SIZE: '200',
    DB_POOL_MAX: '20',
  },
  async ({ app, pool }) => {
    for (const queue of app.get(QueueRegistry).all()) await queue.obliterate({ force: true });
    await app
      .get(DefinitionsService)
      .create({ key: 'bench_noop', name: 'Five no-op steps', config }, null);
    const runs = app.get(RunsService);
    const totals = { engineSeconds: 0, startSeconds: 0, baselineSeconds: 0 };
    // Round 0 warms up (JIT, connections, plan caches) and is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      const count = round ? RUNS_PER_ROUND : WARMUP_RUNS;
      const started = performance.now();
      await inParallel(count, CONCURRENCY, () =>
        runs.start({ definitionKey: 'bench_noop', subject: { type: 'bench', id: 'x' } }),
      );
      const startSeconds = (performance.now() - started) / 1000;
      while ((await unfinished(pool)) > 0) await sleep(20);
      const engineSeconds = (performance.now() - started) / 1000;
      const baselineSeconds = await baseline(pool, count);
      if (!round) continue;
      console.log(
        `  round ${round}: engine ${(count / engineSeconds).toFixed(0)} runs/s,` +
          ` baseline ${(count / baselineSeconds).toFixed(0)} runs/s`,
      );
      totals.engineSeconds += engineSeconds;
      totals.startSeconds += startSeconds;
      totals.baselineSeconds += baselineSeconds;
    }
    const steps = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM workflow_step_runs s JOIN workflow_runs r ON r.id = s.run_id
        WHERE s.status = 'completed' AND r.subject_type = 'bench'`,
    );
    // Nothing left behind in the shared Redis.
    for (const queue of app.get(QueueRegistry).all()) await queue.obliterate({ force: true });
    return { ...totals, steps: steps.rows[0].n };
  },
);

const total = RUNS_PER_ROUND * ROUNDS;
const engineRate = total / result.engineSeconds;
const baselineRate = total / result.baselineSeconds;
console.log(
  `workflow: ${total} runs of 5 no-op steps per side in ${ROUNDS} alternating rounds,` +
    ` one worker process, concurrency ${CONCURRENCY}`,
);
console.log(
  `engine (start → completed)    ${engineRate.toFixed(0)} runs/s  (${(engineRate * 5).toFixed(0)} steps/s; starting took ${result.startSeconds.toFixed(2)} s; ${result.steps} step runs)`,
);
console.log(`baseline: bare SQL step txns   ${baselineRate.toFixed(0)} runs/s`);
console.log(`ratio: ${(engineRate / baselineRate).toFixed(2)}`);
// Every run of every round, warm-up included, completed all five steps.
process.exit(result.steps === (total + WARMUP_RUNS) * 5 ? 0 : 1);

async function unfinished(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM workflow_runs WHERE subject_type = 'bench' AND status <> 'completed'`,
  );
  return rows[0].n;
}

/** The same five step transactions per run with SQL only, CONCURRENCY runs at a time. */
async function baseline(pool: pg.Pool, runs: number): Promise<number> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO workflow_runs (definition_id, definition_key, definition_version, status, subject_type, subject_id, current_step, due_at)
     SELECT id, key, version, 'running', 'baseline', 'x', 'a', now() FROM workflow_definitions, generate_series(1, $1)
      WHERE key = 'bench_noop' RETURNING id`,
    [runs],
  );
  const ids = rows.map((row) => row.id);
  const started = performance.now();
  await inParallel(ids.length, Math.min(CONCURRENCY, 8), async (i) => {
    const client = await pool.connect();
    try {
      for (const [n, key] of [...STEPS, 'done'].entries()) {
        await client.query('BEGIN');
        await client.query('SELECT * FROM workflow_runs WHERE id = $1 FOR UPDATE', [ids[i]]);
        await client.query(
          `INSERT INTO workflow_step_runs (run_id, step_no, step_key, step_type, attempt, status, output, started_at, finished_at)
           VALUES ($1, $2, $3, 'action', 1, 'completed', '{}', now(), now())`,
          [ids[i], n + 1, key],
        );
        await client.query(
          `UPDATE workflow_runs SET step_no = step_no + 1, current_step = $2, status = $3, updated_at = now() WHERE id = $1`,
          [ids[i], STEPS[n + 1] ?? 'done', key === 'done' ? 'completed' : 'running'],
        );
        await client.query('COMMIT');
      }
    } finally {
      client.release();
    }
  });
  return (performance.now() - started) / 1000;
}

async function inParallel(
  count: number,
  width: number,
  work: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await work(next++);
    }),
  );
}
