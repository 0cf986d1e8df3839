import { type OutboxEntry, type OutboxService } from '@mas/persistence';
import { type EntityManager } from 'typeorm';
import { RunStatus, StepRunStatus } from './run-status.js';
import { advanceRunEntry, runUpdatedEntry } from './run-outbox.js';
import { type WorkflowRun } from './workflow-run.entity.js';

/** What one transaction does to a locked run: its new state, step records and outbox entries. */
export class RunChanges {
  readonly outbox: OutboxEntry[] = [];
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

  /** A step execution, keyed by the run's current step position and attempt. */
  async recordStep(
    tx: EntityManager,
    stepType: string,
    status: StepRunStatus,
    details: { output?: Record<string, unknown>; error?: string; startedAt?: Date } = {},
  ): Promise<void> {
    const { run, now } = this;
    await tx.query(
      `INSERT INTO workflow_step_runs
         (run_id, step_no, step_key, step_type, attempt, status, output, error, started_at, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)`,
      [
        run.id,
        run.stepNo,
        run.currentStep,
        stepType,
        run.attempt,
        status,
        details.output ? JSON.stringify(details.output) : null,
        details.error ?? null,
        details.startedAt ?? now,
        status === StepRunStatus.Waiting ? null : now,
      ],
    );
  }

  /** Closes the step run the run is parked on (the current position's waiting record). */
  async closeWaitingStep(
    tx: EntityManager,
    status: StepRunStatus,
    output?: Record<string, unknown>,
  ): Promise<void> {
    await tx.query(
      `UPDATE workflow_step_runs SET status = $3, finished_at = $4, output = coalesce($5::jsonb, output)
        WHERE run_id = $1 AND step_no = $2 AND status = 'waiting'`,
      [this.run.id, this.run.stepNo, status, this.now, output ? JSON.stringify(output) : null],
    );
  }

  /** Writes the run and its outbox entries (plus workflow.run_updated when there is news). */
  async save(tx: EntityManager, outbox: OutboxService): Promise<void> {
    const { run } = this;
    await tx.query(
      `UPDATE workflow_runs SET status = $2, current_step = $3, step_no = $4, attempt = $5,
              context = $6::jsonb, due_at = $7, error = $8, finished_at = $9, updated_at = now()
        WHERE id = $1`,
      [
        run.id,
        run.status,
        run.currentStep,
        run.stepNo,
        run.attempt,
        JSON.stringify(run.context),
        run.dueAt,
        run.error,
        run.finishedAt,
      ],
    );
    if (this.announce || run.status !== this.initialStatus) this.outbox.push(runUpdatedEntry(run));
    await outbox.record(tx, this.outbox);
  }
}
