import { Injectable, Logger } from '@nestjs/common';
import { PermanentError } from '@mas/domain-errors';
import { isRetryableTransactionError, OutboxService, TransactionRunner } from '@mas/persistence';
import { EntityManager } from 'typeorm';
import { type ActionOutput, WorkflowActions } from '../actions/workflow-actions.js';
import type {
  ActionStep,
  BranchStep,
  RetryPolicy,
  StepConfig,
} from '../definitions/definition-config.js';
import { DefinitionsService } from '../definitions/definitions.service.js';
import { evaluateExpression, isTruthy, parseExpression } from '../expressions/index.js';
import { RunChanges } from './run-changes.js';
import { lockRun, readVersionedRun, type VersionedRun } from './run-row.js';
import { advanceRunEntry } from './run-outbox.js';
import { FINISHED_RUN_STATUSES, RunStatus, StepRunStatus } from './run-status.js';
import { WorkflowRun } from './workflow-run.entity.js';

/**
 * Why a job stops advancing its run: nothing (more) is due, or, `row ended`, the step that stopped
 * the run (it finished or waits now) also ended the job's outbox row.
 */
type JobEnd = 'done' | 'done, row ended';

/** After a step: the run as it left it when the next is due at once, null to read it again. */
type StepOutcome = VersionedRun | null | JobEnd;

/** Steps one job executes before handing the run to a fresh job (a cycle without waits). */
const STEPS_PER_JOB = 50;

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, backoffMs: 1000 };

/**
 * How far ahead a run may be due and still execute: due times are set by one host's clock (the
 * database's for a new run) and read by another's, and a job dropped as early would wait for the
 * sweep. A timer may fire up to this much early.
 */
const CLOCK_TOLERANCE_MS = 1000;

/**
 * Executes runs. Each step is one transaction that applies the step's effect, records the step
 * execution (unique per run + step position + attempt) and moves the run on; jobs for later work
 * (timers, retries) are outbox rows of that same transaction. An action that writes through its
 * transaction locks the run row first; every other step is one statement that applies only if the
 * run is still the row version it read. A worker that dies mid-step leaves nothing committed, so
 * the next job for the run executes the step again; a committed step is never executed twice.
 * The step that finishes or parks the run ends its job's outbox row in the same statement.
 */
@Injectable()
export class WorkflowEngine {
  private readonly logger = new Logger('WorkflowEngine');

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly definitions: DefinitionsService,
    private readonly actions: WorkflowActions,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Executes the run's due steps until it waits, finishes or has used this job's step budget. The
   * run is read once: each step's statement returns the row version it wrote, so the next step
   * starts from the state this job left, unless someone else changed the run meanwhile.
   *
   * `jobRow`: the outbox row of the job calling; the step that finishes or parks the run ends it as
   * done in the same statement. True when it did, and the caller has nothing left to record.
   */
  async advance(runId: string, jobRow?: string): Promise<boolean> {
    let known: VersionedRun | null = null;
    for (let executed = 0; executed < STEPS_PER_JOB; executed++) {
      const after: StepOutcome = await this.executeDueStep(runId, known, jobRow).catch(
        (error: unknown) => this.afterFailedAttempt(error),
      );
      if (after === 'done') return false;
      if (after === 'done, row ended') return true;
      known = after;
    }
    await this.transactions.run((tx) => this.outbox.record(tx, [advanceRunEntry(runId)]));
    return false;
  }

  /** Unfinished runs whose job is over a minute late: lost with Redis, or never enqueued. */
  overdueRuns(limit = 1000): Promise<Pick<WorkflowRun, 'id' | 'stepNo' | 'attempt'>[]> {
    return this.transactions.manager().query(
      `SELECT id, step_no AS "stepNo", attempt FROM workflow_runs
        WHERE status IN ('pending', 'running', 'waiting') AND due_at < now() - interval '1 minute'
        ORDER BY due_at LIMIT $1`,
      [limit],
    );
  }

  /**
   * One step of the run if it is due: the run as the step left it when the next step is due at
   * once, null when the run must be read again, or how this job ends.
   *
   * A step whose effect is only the run's own state (branches, waits, the end, pure actions) reads
   * the run without a lock and writes everything in one statement that applies only if the row is
   * still the version it read: two round trips, or one with `known`, instead of BEGIN, lock,
   * write, COMMIT. An action that writes through its transaction runs in a locked one.
   */
  private async executeDueStep(
    runId: string,
    known: VersionedRun | null,
    jobRow: string | undefined,
  ): Promise<StepOutcome> {
    const read = known ?? (await readVersionedRun(this.transactions.manager(), runId));
    if (!read || !isDue(read.run)) return 'done';
    const step = await this.currentStep(read.run);
    if (this.needsTransaction(read.run, step))
      return this.transactions.run((tx) => this.executeLocked(tx, runId, jobRow));
    const changes = new RunChanges(read.run);
    await this.apply(this.transactions.manager(), changes, step);
    const end = this.jobEnd(changes, jobRow);
    const version = await this.transactions.statement((manager) =>
      changes.save(manager, read.version),
    );
    if (version === null) return null;
    return end ?? { run: changes.run, version };
  }

  /** The same step in a transaction that locks the run first. */
  private async executeLocked(
    tx: EntityManager,
    runId: string,
    jobRow: string | undefined,
  ): Promise<VersionedRun | JobEnd> {
    const run = await lockRun(tx, runId);
    if (!run || !isDue(run)) return 'done';
    const changes = new RunChanges(run);
    await this.apply(tx, changes, await this.currentStep(run));
    const end = this.jobEnd(changes, jobRow);
    const version = (await changes.save(tx))!;
    return end ?? { run, version };
  }

  /**
   * How the job ends when the change stops the run (it finishes or waits), which then ends the
   * job's outbox row too; null when the run goes on.
   */
  private jobEnd(changes: RunChanges, jobRow: string | undefined): JobEnd | null {
    if (changes.run.status === RunStatus.Running) return null;
    if (!jobRow) return 'done';
    changes.endJobRow(jobRow);
    return 'done, row ended';
  }

  private async currentStep(run: WorkflowRun): Promise<StepConfig> {
    const { config } = await this.definitions.byId(run.definitionId);
    return config.steps[run.currentStep!];
  }

  private needsTransaction(run: WorkflowRun, step: StepConfig): boolean {
    return (
      step.type === 'action' &&
      run.status !== RunStatus.Waiting &&
      !this.actions.get(step.action)?.pure
    );
  }

  private async apply(tx: EntityManager, changes: RunChanges, step: StepConfig): Promise<void> {
    if (changes.run.status === RunStatus.Waiting) this.resumeAfterWait(changes, step);
    else await this.execute(tx, changes, step);
  }

  private async execute(tx: EntityManager, changes: RunChanges, step: StepConfig): Promise<void> {
    switch (step.type) {
      case 'action':
        return this.executeAction(tx, changes, step);
      case 'branch':
        return this.executeBranch(changes, step);
      case 'wait': {
        const until = new Date(changes.now.getTime() + step.durationMs);
        return this.park(changes, step.type, until);
      }
      case 'wait_for_signal': {
        const until = step.timeoutMs ? new Date(changes.now.getTime() + step.timeoutMs) : null;
        return this.park(changes, step.type, until);
      }
      case 'end':
        changes.recordStep(step.type, StepRunStatus.Completed);
        return changes.finish(RunStatus.Completed);
    }
  }

  /** The timer of a wait step ran out, or a wait_for_signal step's timeout passed. */
  private resumeAfterWait(changes: RunChanges, step: StepConfig): void {
    if (step.type === 'wait') {
      changes.closeWaitingStep(StepRunStatus.Completed);
      return changes.moveTo(step.next);
    }
    if (step.type === 'wait_for_signal' && step.onTimeout) {
      changes.closeWaitingStep(StepRunStatus.TimedOut);
      return changes.moveTo(step.onTimeout);
    }
    throw new Error(`run ${changes.run.id} is due while waiting on a ${step.type} step`);
  }

  private park(changes: RunChanges, type: string, until: Date | null): void {
    changes.recordStep(type, StepRunStatus.Waiting);
    changes.waitUntil(until);
    if (until) changes.outbox.push(advanceRunEntry(changes.run.id, until));
  }

  private executeBranch(changes: RunChanges, step: BranchStep): void {
    const scope = changes.run.context;
    const taken = step.branches.find((branch) =>
      isTruthy(evaluateExpression(parseExpression(branch.when), scope)),
    );
    const next = taken?.next ?? step.otherwise;
    changes.recordStep(step.type, StepRunStatus.Completed, { output: { next } });
    changes.moveTo(next);
  }

  /**
   * Runs the executor in the step's transaction. When it throws, the whole transaction rolls back
   * (the executor's writes with it) and the attempt is recorded by a second one: the success path
   * stays at one transaction without savepoints.
   */
  private async executeAction(
    tx: EntityManager,
    changes: RunChanges,
    step: ActionStep,
  ): Promise<void> {
    const { run } = changes;
    const startedAt = new Date();
    let output: ActionOutput;
    try {
      output = await this.actions.get(step.action)!.run({
        tx,
        run: {
          id: run.id,
          definitionKey: run.definitionKey,
          subjectType: run.subjectType,
          subjectId: run.subjectId,
          context: run.context,
          step: run.currentStep!,
          attempt: run.attempt,
        },
        params: step.params ?? {},
      });
    } catch (error) {
      // A deadlock or serialization failure: the TransactionRunner retries the whole step.
      if (isRetryableTransactionError(error)) throw error;
      throw new FailedAttempt(run, error as Error, startedAt);
    }
    changes.recordStep(step.type, StepRunStatus.Completed, {
      output: output ?? {},
      startedAt,
    });
    run.context = { ...run.context, ...output };
    changes.moveTo(step.next);
  }

  /** Records a failed attempt (then retries later or fails the run); this job is done then. */
  private async afterFailedAttempt(error: unknown): Promise<JobEnd> {
    if (!(error instanceof FailedAttempt)) throw error;
    await this.transactions.run(async (tx) => {
      const run = await lockRun(tx, error.runId);
      // Another job moved the run on meanwhile: the attempt is no longer the run's to record.
      if (run?.status !== RunStatus.Running && run?.status !== RunStatus.Pending) return;
      if (run.stepNo !== error.stepNo || run.attempt !== error.attempt) return;
      const { config } = await this.definitions.byId(run.definitionId, tx);
      const changes = new RunChanges(run);
      changes.recordStep('action', StepRunStatus.Failed, {
        error: errorMessage(error.cause),
        startedAt: error.startedAt,
      });
      this.recordFailure(changes, config.steps[run.currentStep!] as ActionStep, error.cause);
      await changes.save(tx);
    });
    return 'done';
  }

  private recordFailure(changes: RunChanges, step: ActionStep, error: Error): void {
    const { run } = changes;
    const message = errorMessage(error);
    const retry = step.retry ?? DEFAULT_RETRY;
    changes.announceUpdate();
    if (!isPermanent(error) && run.attempt < retry.maxAttempts) {
      const retryAt = new Date(changes.now.getTime() + retry.backoffMs * 2 ** (run.attempt - 1));
      changes.retryAt(retryAt, message);
      return;
    }
    const attempts = `${run.attempt} attempt${run.attempt > 1 ? 's' : ''}`;
    this.logger.warn(`workflow run ${run.id} failed at step ${run.currentStep}: ${message}`);
    changes.finish(
      RunStatus.Failed,
      `step "${run.currentStep}" failed after ${attempts}: ${message}`,
    );
  }
}

/** An action attempt that threw; its transaction is rolled back before the attempt is recorded. */
class FailedAttempt extends Error {
  readonly runId: string;
  readonly stepNo: number;
  readonly attempt: number;

  constructor(
    run: WorkflowRun,
    override readonly cause: Error,
    readonly startedAt: Date,
  ) {
    super(cause.message);
    this.runId = run.id;
    this.stepNo = run.stepNo;
    this.attempt = run.attempt;
  }
}

/** Unfinished, and not waiting for a signal or for a timer, backoff or timeout still ahead. */
function isDue(run: WorkflowRun): boolean {
  if (FINISHED_RUN_STATUSES.includes(run.status)) return false;
  return !!run.dueAt && run.dueAt.getTime() <= Date.now() + CLOCK_TOLERANCE_MS;
}

function errorMessage(error: Error): string {
  return error.message.slice(0, 2000);
}

/**
 * Retrying cannot help: an executor's own PermanentError, or a service's refusal (not found,
 * conflict, rule violated, forbidden, invalid input), which are PermanentErrors too.
 */
function isPermanent(error: unknown): boolean {
  return error instanceof PermanentError;
}
