import type { ClientBase } from 'pg';

/**
 * A connection to a database, in an open transaction where a phase runs (a pg client: besides
 * queries, it streams COPY).
 */
export type SqlClient = Pick<ClientBase, 'query'>;

export interface ImportContext {
  /** The IANA zone the old server wrote its `timestamp without time zone` values in. */
  timezone: string;
  /** How many units (rows, or users for per-wallet work) one batch handles at most. */
  batchSize: number;
}

export interface PhaseBatch {
  /** The key to resume after; the phase defines its order (usually the staged row's id). */
  lastKey: string | null;
  /** Units handled by this batch; 0 means the phase is finished. */
  units: number;
}

/**
 * One step of the import that turns staged legacy rows (schema `legacy_import`) into native rows.
 * The runner calls `runBatch` repeatedly, each call in its own transaction together with the
 * phase's checkpoint, so an import killed at any moment resumes after the last committed batch.
 * A batch must be idempotent on native rows (same ids, ON CONFLICT DO NOTHING or equivalent) and
 * list what it merged, changed or skipped with `reportOutcomes`.
 */
export interface ImportPhase {
  /** Its checkpoint and progress line; by convention the legacy table it imports. */
  readonly name: string;
  /** Units the phase goes through, for the progress total. */
  total(client: SqlClient): Promise<number>;
  runBatch(client: SqlClient, afterKey: string | null, context: ImportContext): Promise<PhaseBatch>;
}

/**
 * Steps that may run at the same time, each on its own connection: they write disjoint rows and
 * take no lock another one waits for. One progress line (`name`) counts them together.
 */
export interface ConcurrentSteps {
  readonly name: string;
  readonly concurrent: readonly ImportPhase[];
}

export type ImportStep = ImportPhase | ConcurrentSteps;

/** The phases of a step, in order. */
export function phasesOf(step: ImportStep): readonly ImportPhase[] {
  return 'concurrent' in step ? step.concurrent : [step];
}
