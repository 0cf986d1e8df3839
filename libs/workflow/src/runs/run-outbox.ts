import { OutboxEntries, type OutboxEntry, roleRoom } from '@mas/persistence';
import type { WorkflowRun } from './workflow-run.entity.js';

/** The BullMQ queue whose jobs advance runs; its handler calls `WorkflowEngine.advance`. */
export const WORKFLOW_QUEUE = 'workflow';

/** All a queued job carries: which run to advance. The run's state is read from Postgres. */
export interface AdvanceRunJob {
  runId: string;
}

/** A job advancing the run, at once or (a timer, a retry backoff, a timeout) at `at`. */
export function advanceRunEntry(runId: string, at?: Date): OutboxEntry {
  const job: AdvanceRunJob = { runId };
  return OutboxEntries.job(WORKFLOW_QUEUE, { ...job }, at);
}

/** `workflow.run_updated` to admins, sent after the change commits. */
export function runUpdatedEntry(run: WorkflowRun): OutboxEntry {
  return OutboxEntries.realtime({
    type: 'workflow.run_updated',
    rooms: [roleRoom('admin')],
    data: {
      runId: run.id,
      definitionKey: run.definitionKey,
      definitionVersion: run.definitionVersion,
      subjectType: run.subjectType,
      subjectId: run.subjectId,
      status: run.status,
      currentStep: run.currentStep,
      attempt: run.attempt,
      error: run.error,
    },
  });
}
