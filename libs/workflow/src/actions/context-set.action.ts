import type { WorkflowAction } from './workflow-actions.js';

/** `context.set`: merges its params into the run's context (with no params, a no-op step). */
export const contextSetAction: WorkflowAction = {
  pure: true,
  run: ({ params }) => Promise.resolve({ ...params }),
};
