import type { ImportContext, ImportPhase, SqlClient } from '../import-phase.js';
import type { BatchTransactions } from './batch-transactions.js';
import { readCheckpoint, saveCheckpoint } from './checkpoints.js';

/** What the runner reports as it goes (a progress line per step on the command line). */
export interface StepProgress {
  start(step: string, total: number, unitsDone: number): void;
  update(unitsDone: number): void;
  finish(unitsDone: number): void;
}

/**
 * Runs the steps in order, each batch in its own transaction together with the step's checkpoint;
 * a step whose checkpoint says done is skipped. Killed at any moment, a new run resumes after the
 * last committed batch, and since every batch is idempotent the end state is that of a run that
 * was never interrupted.
 */
export async function runSteps(
  client: SqlClient,
  steps: readonly ImportPhase[],
  context: ImportContext,
  transactions: BatchTransactions,
  progress: StepProgress,
): Promise<void> {
  for (const step of steps) {
    let checkpoint = await readCheckpoint(client, step.name);
    if (checkpoint.done) continue;
    progress.start(step.name, await step.total(client), checkpoint.unitsDone);
    while (!checkpoint.done) {
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
      progress.update(checkpoint.unitsDone);
    }
    progress.finish(checkpoint.unitsDone);
  }
}
