import { type Env, EnvReader } from '@mas/persistence';

export interface WorkflowJobSettings {
  /** Workflow jobs one process runs at once (WORKFLOW_CONCURRENCY). */
  concurrency: number;
}

export function loadWorkflowJobSettings(env: Env): WorkflowJobSettings {
  const read = new EnvReader(env);
  return { concurrency: read.int('WORKFLOW_CONCURRENCY', 10, { min: 1, max: 100 }) };
}
