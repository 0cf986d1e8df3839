import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import type { ImportPhase } from '../import-phase.js';
import { ownTransactions } from './batch-transactions.js';
import { runSteps, type StepProgress } from './run-steps.js';

const BATCHES = 4;
const context = { timezone: 'UTC', batchSize: 1 };

interface Behaviour {
  /** Before its first batch, wait (at most 5 s) until this returns true. */
  waitFor?: () => boolean;
  /** Throw after writing this batch (1-based). */
  failOnBatch?: number;
}

/** A phase writing one row per batch into lane_rows, with the connection that wrote it. */
function countingPhase(name: string, started: Set<string>, behaviour: Behaviour = {}): ImportPhase {
  return {
    name,
    total: () => Promise.resolve(BATCHES),
    runBatch: async (client, afterKey) => {
      started.add(name);
      const batch = Number(afterKey ?? 0) + 1;
      if (batch > BATCHES) return { lastKey: afterKey, units: 0 };
      if (batch === 1 && behaviour.waitFor) await until(behaviour.waitFor);
      await client.query(
        'INSERT INTO lane_rows (phase, batch, pid) VALUES ($1, $2, pg_backend_pid())',
        [name, batch],
      );
      if (batch === behaviour.failOnBatch) throw new Error(`${name} failed at batch ${batch}`);
      // Long enough for the other lane to get a batch in.
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { lastKey: String(batch), units: 1 };
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the other phase never started');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('legacy import runner: a step of concurrent phases', () => {
  let database: TestDatabase;
  let main: pg.Client;
  let extra: pg.Client;
  const progress = { units: [] as number[] };
  const recording: StepProgress = {
    start: () => undefined,
    update: (units) => progress.units.push(units),
    finish: (units) => progress.units.push(units),
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    await database.sql(
      'CREATE TABLE lane_rows (phase text, batch int, pid int, PRIMARY KEY (phase, batch))',
    );
    [main, extra] = await Promise.all([database.session(), database.session()]);
  });

  afterAll(async () => {
    await database?.drop();
  });

  beforeEach(async () => {
    await database.sql('TRUNCATE lane_rows');
    await database.sql('DELETE FROM legacy_import.checkpoints');
    progress.units = [];
  });

  const run = (phases: ImportPhase[], lanes: pg.Client[]) =>
    runSteps(
      main,
      [{ name: 'both', concurrent: phases }],
      context,
      ownTransactions(main),
      recording,
      lanes.map((client) => ({ client, transactions: ownTransactions(client) })),
    );
  const rows = async () =>
    (
      await database.sql(
        'SELECT phase, count(*)::int AS n, count(DISTINCT pid)::int AS pids FROM lane_rows GROUP BY phase ORDER BY phase',
      )
    ).rows;
  const checkpoints = async () =>
    (
      await database.sql(
        'SELECT step, units_done::int AS units, done FROM legacy_import.checkpoints ORDER BY step',
      )
    ).rows;

  it('runs the phases at the same time, one per lane, each with its own checkpoint', async () => {
    const started = new Set<string>();
    // Run one after the other, "a" would wait for "b" in vain and fail.
    await run(
      [
        countingPhase('a', started, { waitFor: () => started.has('b') }),
        countingPhase('b', started),
      ],
      [extra],
    );
    expect(await rows()).toEqual([
      { phase: 'a', n: BATCHES, pids: 1 },
      { phase: 'b', n: BATCHES, pids: 1 },
    ]);
    const pids = await database.sql('SELECT DISTINCT pid FROM lane_rows');
    expect(pids.rows).toHaveLength(2);
    expect(await checkpoints()).toEqual([
      { step: 'a', units: BATCHES, done: true },
      { step: 'b', units: BATCHES, done: true },
    ]);
    // One progress line counts both phases.
    expect(progress.units.at(-1)).toBe(2 * BATCHES);
  });

  it('without an extra lane, runs them one after the other on the main connection', async () => {
    const started = new Set<string>();
    await run([countingPhase('a', started), countingPhase('b', started)], []);
    const pids = await database.sql('SELECT DISTINCT pid FROM lane_rows');
    expect(pids.rows).toHaveLength(1);
    expect(await rows()).toEqual([
      { phase: 'a', n: BATCHES, pids: 1 },
      { phase: 'b', n: BATCHES, pids: 1 },
    ]);
  });

  it('when a phase fails, the other stops after its batch; the next run finishes both, no row twice', async () => {
    const started = new Set<string>();
    await expect(
      run([countingPhase('a', started, { failOnBatch: 2 }), countingPhase('b', started)], [extra]),
    ).rejects.toThrow('a failed at batch 2');
    const stopped = await checkpoints();
    expect(stopped[0]).toEqual({ step: 'a', units: 1, done: false });
    expect(stopped[1].units).toBeLessThan(BATCHES);
    // Nothing of a failed or unfinished batch is left; each committed batch is checkpointed.
    expect((await rows()).map(({ phase, n }) => ({ phase, n }))).toEqual(
      stopped.map(({ step, units }) => ({ phase: step, n: units })),
    );

    await run([countingPhase('a', started), countingPhase('b', started)], [extra]);
    expect((await rows()).map(({ n }) => n)).toEqual([BATCHES, BATCHES]);
    expect(await checkpoints()).toEqual([
      { step: 'a', units: BATCHES, done: true },
      { step: 'b', units: BATCHES, done: true },
    ]);
  });
});
