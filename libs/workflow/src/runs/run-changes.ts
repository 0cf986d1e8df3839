import { OutboxCompletion, type OutboxEntry, outboxInsert, SqlParams } from '@mas/persistence';
import { type EntityManager } from 'typeorm';
import { RunStatus, StepRunStatus } from './run-status.js';
import { advanceRunEntry, runUpdatedEntry } from './run-outbox.js';
import { RUN_VERSION } from './run-row.js';
import { type WorkflowRun } from './workflow-run.entity.js';

/** The other writes of a save happen only when the run's update did. */
const RUN_MOVED = 'EXISTS (SELECT FROM run_moved)';

/** A data-modifying statement of the change, binding its values as it is written. */
type Write = (params: SqlParams) => string;

/**
 * What one transaction does to a locked run: its new state, step records and outbox entries. The
 * step records are written by `save`, with the run and the outbox rows, as ONE statement: a round
 * trip per write would cost more than the writes.
 */
export class RunChanges {
  readonly outbox: OutboxEntry[] = [];
  private readonly stepWrites: Write[] = [];
  private readonly initialStatus: RunStatus;
  private announce = false;

  constructor(
    readonly run: WorkflowRun,
    readonly now = new Date(),
  ) {
    this.initialStatus = run.status;
  }

  /** Goes on to `next` at once: the next step, first attempt. */
  moveTo(next: string): void {
    Object.assign(this.run, {
      currentStep: next,
      stepNo: this.run.stepNo + 1,
      attempt: 1,
      status: RunStatus.Running,
      dueAt: this.now,
      error: null,
    });
  }

  /** Parks the run; a job advances it at `until` (a timer or timeout), or only a signal does. */
  waitUntil(until: Date | null): void {
    Object.assign(this.run, { status: RunStatus.Waiting, dueAt: until });
  }

  /** Stays on the step; a job tries it again at `at`, as the next attempt. */
  retryAt(at: Date, error: string): void {
    Object.assign(this.run, { attempt: this.run.attempt + 1, dueAt: at, error });
    this.outbox.push(advanceRunEntry(this.run.id, at));
  }

  finish(status: RunStatus, error: string | null = null): void {
    Object.assign(this.run, { status, error, dueAt: null, finishedAt: this.now });
  }

  /** Sends workflow.run_updated even without a status change (a failed attempt). */
  announceUpdate(): void {
    this.announce = true;
  }

  /** A step execution, keyed by the run's current step position and attempt (as of this call). */
  recordStep(
    stepType: string,
    status: StepRunStatus,
    details: { output?: Record<string, unknown>; error?: string; startedAt?: Date } = {},
  ): void {
    const { run, now } = this;
    // Bound now: the run moves on before the statement is written.
    const row: [unknown, string][] = [
      [run.id, 'uuid'],
      [run.stepNo, 'integer'],
      [run.currentStep, 'text'],
      [stepType, 'text'],
      [run.attempt, 'integer'],
      [status, 'workflow_step_status'],
      [details.output ? JSON.stringify(details.output) : null, 'jsonb'],
      [details.error ?? null, 'text'],
      [details.startedAt ?? now, 'timestamptz'],
      [status === StepRunStatus.Waiting ? null : now, 'timestamptz'],
    ];
    this.stepWrites.push(
      (params) =>
        `INSERT INTO workflow_step_runs
           (run_id, step_no, step_key, step_type, attempt, status, output, error, started_at, finished_at)
         SELECT ${row.map(([value, type]) => params.bind(value, type)).join(', ')} WHERE ${RUN_MOVED}`,
    );
  }

  /**
   * Ends the outbox row of the job doing this change as done, with the change: for the change that
   * ends the job's work, so its completion is not a statement of its own.
   */
  endJobRow(outboxId: string): void {
    this.stepWrites.push((params) =>
      OutboxCompletion.doneSql(params.bind(outboxId, 'uuid'), RUN_MOVED),
    );
  }

  /** Closes the step run the run is parked on (the current position's waiting record). */
  closeWaitingStep(status: StepRunStatus, output?: Record<string, unknown>): void {
    const { now } = this;
    const { id, stepNo } = this.run;
    this.stepWrites.push(
      (params) =>
        `UPDATE workflow_step_runs SET status = ${params.bind(status)}, finished_at = ${params.bind(now)},
                output = coalesce(${params.bind(output ? JSON.stringify(output) : null, 'jsonb')}, output)
          WHERE run_id = ${params.bind(id)} AND step_no = ${params.bind(stepNo)} AND status = 'waiting'
            AND ${RUN_MOVED}`,
    );
  }

  /**
   * Writes the run, its step records and its outbox entries (plus workflow.run_updated when there
   * is news) in one statement, and returns the run's new row version. With `ifVersion` (a run read
   * without a lock) nothing is written unless the row is still that version: null then, and the
   * caller reads the run again.
   */
  async save(tx: EntityManager, ifVersion?: string): Promise<string | null> {
    const { run } = this;
    if (this.announce || run.status !== this.initialStatus) this.outbox.push(runUpdatedEntry(run));
    const params = new SqlParams();
    const writes = [
      `run_moved AS (${this.runUpdate(params, ifVersion)})`,
      ...this.stepWrites.map((write, i) => `step_${i} AS (${write(params)})`),
    ];
    if (this.outbox.length)
      writes.push(`notified AS (${outboxInsert(this.outbox, params, RUN_MOVED)})`);
    const [moved] = await tx.query<{ version: string }[]>(
      `WITH ${writes.join(', ')} SELECT version FROM run_moved`,
      params.values,
    );
    return moved?.version ?? null;
  }

  private runUpdate(params: SqlParams, ifVersion: string | undefined): string {
    const { run } = this;
    return `UPDATE workflow_runs SET status = ${params.bind(run.status)},
              current_step = ${params.bind(run.currentStep)}, step_no = ${params.bind(run.stepNo)},
              attempt = ${params.bind(run.attempt)},
              context = ${params.bind(JSON.stringify(run.context), 'jsonb')},
              due_at = ${params.bind(run.dueAt)}, error = ${params.bind(run.error)},
              finished_at = ${params.bind(run.finishedAt)}, updated_at = now()
        WHERE id = ${params.bind(run.id)}${ifVersion ? ` AND xmin = ${params.bind(ifVersion, 'xid')}` : ''}
        RETURNING ${RUN_VERSION} AS version`;
  }
}
