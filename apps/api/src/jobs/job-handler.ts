import type { Job } from 'bullmq';

/** Processes the jobs of one queue; the QueueWorkers run one BullMQ worker per handler. */
export interface JobHandler {
  readonly queue: string;
  /** Jobs of this queue processed at once by one process. */
  readonly concurrency: number;
  /**
   * The handler ends its job's outbox row itself (OutboxCompletion, in the transaction that
   * records its effect); otherwise the queue worker marks the row done when `handle` resolves.
   */
  readonly completesOutboxRow?: boolean;
  handle(job: Job): Promise<unknown>;
}

export const JOB_HANDLERS = Symbol('JOB_HANDLERS');
export const JOBS_SETTINGS = Symbol('JOBS_SETTINGS');
