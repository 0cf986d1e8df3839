import {
  type ImportContext,
  type ImportPhase,
  type ImportStep,
  phasesOf,
  type SqlClient,
} from '../import-phase.js';
import type { BatchTransactions } from './batch-transactions.js';
import { readCheckpoint, saveCheckpoint } from './checkpoints.js';

/** What the runner reports as it goes (a progress line per step on the command line). */
export interface StepProgress {
  start(step: string, total: number, unitsDone: number): void;
  update(unitsDone: number): void;
  finish(unitsDone: number): void;
}

/** A connection to the target and how its batches are bracketed. */
export interface Lane {
  client: SqlClient;
  transactions: BatchTransactions;
}

/**
 * Runs the steps in order, each batch in its own transaction together with the step's checkpoint;
 * a step whose checkpoint says done is skipped. Killed at any moment, a new run resumes after the
 * last committed batch, and since every batch is idempotent the end state is that of a run that
 * was never interrupted.
 * The phases of a concurrent step are shared out over the lanes (the main one and `extraLanes`),
 * each lane running one phase at a time; with no extra lane they run one after the other.
 */
export async function runSteps(
  client: SqlClient,
  steps: readonly ImportStep[],
  context: ImportContext,
  transactions: BatchTransactions,
  progress: StepProgress,
  extraLanes: readonly Lane[] = [],
): Promise<void> {
  const main: Lane = { client, transactions };
  for (const step of steps)
    await runGroup([main, ...extraLanes], step.name, phasesOf(step), context, progress);
}

/** Runs `phases` to the end, at most one per lane at a time, with one progress line (`name`). */
async function runGroup(
  lanes: readonly Lane[],
  name: string,
  phases: readonly ImportPhase[],
  context: ImportContext,
  progress: StepProgress,
): Promise<void> {
  const { client } = lanes[0];
  const done = await Promise.all(phases.map((phase) => readCheckpoint(client, phase.name)));
  const pending = phases.filter((_, index) => !done[index].done);
  if (!pending.length) return;
  const totals = await Promise.all(phases.map((phase) => phase.total(client)));
  const unitsDone = done.map((checkpoint) => checkpoint.unitsDone);
  const sum = (units: number[]) => units.reduce((total, n) => total + n, 0);
  progress.start(name, sum(totals), sum(unitsDone));
  const queue = [...pending];
  let failed = false;
  const runLane = async (lane: Lane) => {
    for (let step = queue.shift(); step && !failed; step = queue.shift()) {
      const index = phases.indexOf(step);
      await runStep(lane, step, context, {
        stopped: () => failed,
        onUnitsDone: (units) => {
          unitsDone[index] = units;
          progress.update(sum(unitsDone));
        },
      }).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    }
  };
  // When one lane fails, the others stop after their current batch, and the first failure is
  // thrown only then: no batch is left half-way on a connection the caller is about to release.
  const outcomes = await Promise.allSettled(lanes.slice(0, pending.length).map(runLane));
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  progress.finish(sum(unitsDone));
}

async function runStep(
  { client, transactions }: Lane,
  step: ImportPhase,
  context: ImportContext,
  lane: { stopped: () => boolean; onUnitsDone: (units: number) => void },
): Promise<void> {
  let checkpoint = await readCheckpoint(client, step.name);
  while (!checkpoint.done && !lane.stopped()) {
    await transactions.begin();
    try {
      const batch = await step.runBatch(client, checkpoint.lastKey, context);
      checkpoint = batch.units
        ? { lastKey: batch.lastKey, unitsDone: checkpoint.unitsDone + batch.units, done: false }
        : { ...checkpoint, done: true };
      await saveCheckpoint(client, step.name, checkpoint);
      await transactions.commit();
    } catch (error) {
      await transactions.rollback().catch(() => undefined);
      throw error;
    }
    lane.onUnitsDone(checkpoint.unitsDone);
  }
}
