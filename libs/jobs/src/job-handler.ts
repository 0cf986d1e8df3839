import { DiscoveryService } from '@nestjs/core';
import type { DefaultJobOptions, Job, RepeatOptions } from 'bullmq';

/** A job the handler's queue gets on a schedule, whichever process registers it first. */
export interface JobSchedule {
  /**
   * Scheduler id: upserting the same id again replaces it, so every instance may register it.
   * Renaming it leaves the old scheduler running in Redis beside the new one.
   */
  id: string;
  /** The `name` of each scheduled job (what `handle` sees as `job.name`). */
  jobName: string;
  /**
   * Prefer a cron `pattern` to `every`: an `every` scheduler runs its first job as soon as it is
   * registered, so each boot would trigger a run.
   */
  repeat: Omit<RepeatOptions, 'key'>;
  data?: Record<string, unknown>;
}

export interface JobHandlerOptions {
  /** The BullMQ queue this handler consumes; the queue exists because a handler names it. */
  queue: string;
  /**
   * Jobs of this queue one process runs at once (default 1). A handler whose concurrency is a
   * setting leaves this out and sets `concurrency` on itself from its injected config instead.
   */
  concurrency?: number;
  schedule?: JobSchedule;
  /** Attempts, backoff and the like for every job added to the queue (the queue's defaults). */
  jobOptions?: DefaultJobOptions;
}

/**
 * Processes the jobs of one queue. The class is a provider of its feature's module, decorated
 * `@JobHandler({ queue, ... })`; JobsModule discovers it at boot, creates its queue, runs its
 * worker (APP_ROLE worker and all) and registers its schedule.
 */
export interface JobHandler {
  /** Overrides the decorator's `concurrency` when the number comes from settings. */
  readonly concurrency?: number;
  /** Overrides the decorator's `schedule` when it comes from settings (undefined: the decorator's). */
  readonly schedule?: JobSchedule;
  /**
   * The handler ends its job's outbox row itself (OutboxCompletion, in the transaction that
   * records its effect); otherwise the queue worker marks the row done when `handle` resolves.
   */
  readonly completesOutboxRow?: boolean;
  handle(job: Job): Promise<unknown>;
}

/**
 * What `handle` resolves to when it has already ended its job's outbox row as done, in the
 * statement that recorded the job's effect: the queue worker then leaves the row alone.
 */
export const OUTBOX_ROW_ENDED = Symbol('outbox row ended by the handler');

/** Marks a provider implementing `JobHandler`; JobsModule discovers it (as the SeedRunner does seeds). */
export const JobHandler = DiscoveryService.createDecorator<JobHandlerOptions>();
