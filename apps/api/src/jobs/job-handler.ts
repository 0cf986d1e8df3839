import type { Job } from 'bullmq';

/** Processes the jobs of one queue; the QueueWorkers run one BullMQ worker per handler. */
export interface JobHandler {
  readonly queue: string;
  /** Jobs of this queue processed at once by one process. */
  readonly concurrency: number;
  handle(job: Job): Promise<unknown>;
}

export const JOB_HANDLERS = Symbol('JOB_HANDLERS');
export const JOBS_SETTINGS = Symbol('JOBS_SETTINGS');
