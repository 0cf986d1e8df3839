import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ConflictError, errorDetail, NotFoundError, RuleViolationError } from '@mas/domain-errors';
import {
  OutboxService,
  outboxInsert,
  SqlParams,
  type Page,
  paginateByKeyset,
  TransactionRunner,
} from '@mas/persistence';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { DefinitionsService } from '../definitions/definitions.service.js';
import { WorkflowDefinition } from '../definitions/workflow-definition.entity.js';
import { evaluateExpression, isTruthy, parseExpression } from '../expressions/index.js';
import { RunChanges } from './run-changes.js';
import { asRun, lockRun, RUN_COLUMNS } from './run-row.js';
import { advanceRunEntry, runUpdatedEntry } from './run-outbox.js';
import { FINISHED_RUN_STATUSES, RunStatus, StepRunStatus } from './run-status.js';
import { WorkflowRun } from './workflow-run.entity.js';
import { WorkflowStepRun } from './workflow-step-run.entity.js';

export interface RunSubject {
  type: string;
  id: string;
}

export interface StartRun {
  definitionKey: string;
  subject: RunSubject;
  context?: Record<string, unknown>;
  startedBy?: string | null;
}

export interface RunFilter {
  definitionKey?: string;
  status?: RunStatus;
  subjectType?: string;
  subjectId?: string;
  limit?: number;
  cursor?: string;
}

/**
 * Narrows a query over runs (alias `run`) to those the caller may see. The workflow lib knows no
 * users or subjects, so the app builds it; without one, every run is in scope.
 */
export type RunScope = (runs: SelectQueryBuilder<WorkflowRun>) => SelectQueryBuilder<WorkflowRun>;

export interface RunWithSteps {
  run: WorkflowRun;
  steps: WorkflowStepRun[];
}

/** Starts runs, delivers signals, cancels and reads them. The engine executes them. */
@Injectable()
export class RunsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly definitions: DefinitionsService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * A run of the newest version of `definitionKey`, queued to start once this commits. Without an
   * outer transaction, the run and its outbox rows are one statement (no BEGIN/COMMIT) that writes
   * only if the version this process knows as the newest still is; when another instance saved a
   * newer one, the newest is read and started instead.
   */
  async start(input: StartRun, within?: EntityManager): Promise<WorkflowRun> {
    if (within) {
      const definition = await this.definitions.latest(input.definitionKey, within);
      return (await this.insertRun(within, definition, input))!;
    }
    const known = await this.definitions.latestKnown(input.definitionKey);
    const started = await this.transactions.statement((tx) =>
      this.insertRun(tx, known, input, null, { onlyIfNewest: true }),
    );
    if (started) return started;
    const newest = await this.definitions.latest(input.definitionKey);
    return (await this.transactions.statement((tx) => this.insertRun(tx, newest, input)))!;
  }

  /**
   * A run started by a domain event (the outbox message `messageId`); a second delivery of the same
   * message starts nothing. Returns null when the run already exists.
   */
  startForEvent(
    tx: EntityManager,
    definition: WorkflowDefinition,
    input: Omit<StartRun, 'definitionKey'>,
    messageId: string,
  ): Promise<WorkflowRun | null> {
    return this.insertRun(tx, definition, { ...input, definitionKey: definition.key }, messageId);
  }

  /**
   * 404 for a run outside `scope`. The run and its steps from one snapshot: read one after the
   * other, a step recorded in between would show beside the run as it was before that step.
   */
  get(id: string, scope?: RunScope): Promise<RunWithSteps> {
    return this.transactions.run(
      async (tx) => {
        const run = await scoped(tx, scope).andWhere('run.id = :id', { id }).getOne();
        if (!run) throw new NotFoundError('workflow run not found');
        const steps = await tx.find(WorkflowStepRun, {
          where: { runId: id },
          order: { stepNo: 'ASC', attempt: 'ASC' },
        });
        return { run, steps };
      },
      { isolation: 'REPEATABLE READ' },
    );
  }

  list(filter: RunFilter, scope?: RunScope): Promise<Page<WorkflowRun>> {
    const query = scoped(this.transactions.manager(), scope);
    if (filter.definitionKey)
      query.andWhere('run.definitionKey = :key', { key: filter.definitionKey });
    if (filter.status) query.andWhere('run.status = :status', { status: filter.status });
    if (filter.subjectType) query.andWhere('run.subjectType = :type', { type: filter.subjectType });
    if (filter.subjectId) query.andWhere('run.subjectId = :subject', { subject: filter.subjectId });
    return paginateByKeyset(query, filter);
  }

  /**
   * Resumes a run at a wait_for_signal step for `event` (parked on it, or about to be); the payload
   * lands in `context.signals.<event>`. 409 when the run's current step waits for no such signal,
   * 422 when the step's payloadCondition refuses the payload, 404 (before anything else) for a
   * run outside `scope`.
   */
  signal(
    id: string,
    event: string,
    payload: Record<string, unknown>,
    by: string | null,
    scope?: RunScope,
  ): Promise<WorkflowRun> {
    return this.transactions.run(async (tx) => {
      const run = await this.lockUnfinished(tx, id, scope);
      const { config } = await this.definitions.byId(run.definitionId, tx);
      const step = config.steps[run.currentStep!];
      if (step.type !== 'wait_for_signal') {
        throw new ConflictError(
          `run is ${run.status} at step "${run.currentStep}"; it waits for no signal`,
        );
      }
      if (step.event !== event) {
        throw new ConflictError(`run waits for the signal "${step.event}", not "${event}"`);
      }
      if (
        step.payloadCondition &&
        !isTruthy(evaluateExpression(parseExpression(step.payloadCondition), { payload }))
      ) {
        throw new RuleViolationError(`signal payload does not satisfy: ${step.payloadCondition}`, [
          errorDetail(`must satisfy ${step.payloadCondition}`, 'payload'),
        ]);
      }
      const changes = new RunChanges(run);
      const output = { event, payload, by };
      // A run that reached the step but was not parked on it yet takes the signal all the same.
      if (run.status === RunStatus.Waiting) {
        changes.closeWaitingStep(StepRunStatus.Completed, output);
      } else {
        changes.recordStep(step.type, StepRunStatus.Completed, { output });
      }
      const signals = (run.context.signals ?? {}) as Record<string, unknown>;
      run.context = { ...run.context, signals: { ...signals, [event]: payload } };
      changes.moveTo(step.next);
      changes.outbox.push(advanceRunEntry(run.id));
      await changes.save(tx);
      return run;
    });
  }

  cancel(id: string, by: string | null): Promise<WorkflowRun> {
    return this.transactions.run(async (tx) => {
      const run = await this.lockUnfinished(tx, id);
      const changes = new RunChanges(run);
      changes.closeWaitingStep(StepRunStatus.Cancelled, { by });
      changes.finish(RunStatus.Cancelled);
      await changes.save(tx);
      return run;
    });
  }

  private async lockUnfinished(
    tx: EntityManager,
    id: string,
    scope?: RunScope,
  ): Promise<WorkflowRun> {
    const run = await lockRun(tx, id);
    // Scope first: a run outside it must not reveal its status through a 409.
    const inScope =
      run && (!scope || (await scoped(tx, scope).andWhere('run.id = :id', { id }).getExists()));
    if (!run || !inScope) throw new NotFoundError('workflow run not found');
    if (FINISHED_RUN_STATUSES.includes(run.status)) {
      throw new ConflictError(`run is already ${run.status}`);
    }
    return run;
  }

  /**
   * The run and its outbox rows in one statement; null (and no rows) when it already exists, or
   * with `onlyIfNewest` when `definition` is no longer its key's newest version.
   */
  private async insertRun(
    tx: EntityManager,
    definition: WorkflowDefinition,
    input: StartRun,
    triggerMessageId: string | null = null,
    { onlyIfNewest = false } = {},
  ): Promise<WorkflowRun | null> {
    const pending = Object.assign(new WorkflowRun(), {
      id: randomUUID(),
      definitionKey: definition.key,
      definitionVersion: definition.version,
      status: RunStatus.Pending,
      subjectType: input.subject.type,
      subjectId: input.subject.id,
      currentStep: definition.config.start,
      attempt: 1,
      error: null,
    });
    const params = new SqlParams();
    // Typed: the values are a SELECT's (for the guard), whose untyped parameters would be text.
    const values = (
      [
        [pending.id, 'uuid'],
        [definition.id, 'uuid'],
        [definition.key, 'text'],
        [definition.version, 'integer'],
        [input.subject.type, 'text'],
        [input.subject.id, 'text'],
        [definition.config.start, 'text'],
        [JSON.stringify(input.context ?? {}), 'jsonb'],
        [triggerMessageId, 'uuid'],
        [input.startedBy ?? null, 'uuid'],
      ] as const
    ).map(([value, cast]) => params.bind(value, cast));
    const outbox = [advanceRunEntry(pending.id), runUpdatedEntry(pending)];
    const guard = onlyIfNewest ? DefinitionsService.isNewestSql(definition, params) : 'true';
    const [inserted] = await tx.query<WorkflowRun[]>(
      `WITH run AS (
         INSERT INTO workflow_runs (id, definition_id, definition_key, definition_version, subject_type,
                subject_id, current_step, context, trigger_message_id, started_by, status, due_at)
         SELECT ${values.join(', ')}, 'pending', now() WHERE ${guard}
         ON CONFLICT DO NOTHING RETURNING ${RUN_COLUMNS}),
       outbox AS (${outboxInsert(outbox, params, 'EXISTS (SELECT FROM run)')})
       SELECT * FROM run`,
      params.values,
    );
    return inserted ? asRun(inserted) : null;
  }
}

function scoped(manager: EntityManager, scope?: RunScope): SelectQueryBuilder<WorkflowRun> {
  const runs = manager.createQueryBuilder(WorkflowRun, 'run');
  return scope ? scope(runs) : runs;
}
