import { type EntityManager } from 'typeorm';
import { WorkflowRun } from './workflow-run.entity.js';

/** Every column of workflow_runs, named as the entity names them. */
export const RUN_COLUMNS = `id, created_at AS "createdAt", updated_at AS "updatedAt",
  definition_id AS "definitionId", definition_key AS "definitionKey",
  definition_version AS "definitionVersion", status, subject_type AS "subjectType",
  subject_id AS "subjectId", current_step AS "currentStep", step_no AS "stepNo", attempt, context,
  due_at AS "dueAt", error, trigger_message_id AS "triggerMessageId", started_by AS "startedBy",
  finished_at AS "finishedAt"`;

/**
 * The row version of a run: Postgres gives every update of a row a new xmin, whoever made it, so a
 * run read without a lock can be written back only if nothing changed it in between.
 */
export const RUN_VERSION = 'xmin::text';

/** A run as read, with the row version it was read at. */
export interface VersionedRun {
  run: WorkflowRun;
  version: string;
}

/** The run and its row version, without a lock, or null. */
export async function readVersionedRun(
  manager: EntityManager,
  id: string,
): Promise<VersionedRun | null> {
  const [row] = await manager.query<(WorkflowRun & { version: string })[]>(
    `SELECT ${RUN_COLUMNS}, ${RUN_VERSION} AS version FROM workflow_runs WHERE id = $1`,
    [id],
  );
  if (!row) return null;
  const { version, ...run } = row;
  return { run: asRun(run), version };
}

/**
 * The run, locked until the transaction ends, or null. Plain SQL: it is on the path of every
 * step, where building the query through the ORM costs more than the query.
 */
export async function lockRun(tx: EntityManager, id: string): Promise<WorkflowRun | null> {
  const [row] = await tx.query<WorkflowRun[]>(
    `SELECT ${RUN_COLUMNS} FROM workflow_runs WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return row ? asRun(row) : null;
}

/** A row selected or returned with RUN_COLUMNS, as an entity. */
export function asRun(row: WorkflowRun): WorkflowRun {
  return Object.assign(new WorkflowRun(), row);
}
