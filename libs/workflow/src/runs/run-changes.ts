import { type OutboxEntry, outboxInsert, SqlParams } from '@mas/persistence';
import { type EntityManager } from 'typeorm';
import { RunStatus, StepRunStatus } from './run-status.js';
import { advanceRunEntry, runUpdatedEntry } from './run-outbox.js';
import { type WorkflowRun } from './workflow-run.entity.js';

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
    const values = [run.id, run.stepNo, run.currentStep, stepType, run.attempt, status];
    const output = details.output ? JSON.stringify(details.output) : null;
    const times = [details.startedAt ?? now, status === StepRunStatus.Waiting ? null : now];
    this.stepWrites.push(
      (params) =>
        `INSERT INTO workflow_step_runs
           (run_id, step_no, step_key, step_type, attempt, status, output, error, started_at, finished_at)
         VALUES (${values.map((value) => params.bind(value)).join(', ')}, ${params.bind(output, 'jsonb')},
                 ${params.bind(details.error ?? null)}, ${times.map((time) => params.bind(time)).join(', ')})`,
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
          WHERE run_id = ${params.bind(id)} AND step_no = ${params.bind(stepNo)} AND status = 'waiting'`,
    );
  }

  /**
   * Writes the step records, the run and its outbox entries (plus workflow.run_updated when there
   * is news) in one statement.
   */
  async save(tx: EntityManager): Promise<void> {
    const { run } = this;
    if (this.announce || run.status !== this.initialStatus) this.outbox.push(runUpdatedEntry(run));
    const params = new SqlParams();
    const writes = [...this.stepWrites.map((write) => write(params)), this.runUpdate(params)];
    if (this.outbox.length) writes.push(outboxInsert(this.outbox, params));
    const last = writes.pop()!;
    const ctes = writes.map((sql, i) => `write_${i} AS (${sql})`);
    await tx.query(ctes.length ? `WITH ${ctes.join(', ')} ${last}` : last, params.values);
  }

  private runUpdate(params: SqlParams): string {
    const { run } = this;
    return `UPDATE workflow_runs SET status = ${params.bind(run.status)},
              current_step = ${params.bind(run.currentStep)}, step_no = ${params.bind(run.stepNo)},
              attempt = ${params.bind(run.attempt)},
              context = ${params.bind(JSON.stringify(run.context), 'jsonb')},
              due_at = ${params.bind(run.dueAt)}, error = ${params.bind(run.error)},
              finished_at = ${params.bind(run.finishedAt)}, updated_at = now()
        WHERE id = ${params.bind(run.id)}`;
  }
}
