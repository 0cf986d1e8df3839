import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { QueueRegistry } from '@mas/jobs';
import type { DefaultJobOptions, Queue } from 'bullmq';
import { JobHandlers } from './job-handlers.js';
import { JOBS_SETTINGS, type JobsSettings } from './jobs-settings.js';
import { LoggedQueue } from './logged-queue.js';
import { producerConnection } from './redis-connections.js';

/**
 * Finished jobs stay a day, failed ones a week: long enough for the dashboard, and for jobId
 * deduplication to outlive the outbox relay's retry window (a removed job id could be re-added).
 * A handler's `jobOptions` come on top.
 */
const KEEP: DefaultJobOptions = {
  removeOnComplete: { age: 24 * 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
};

/**
 * One producer queue per discovered job handler, in every process (the API enqueues, workers
 * register schedules): created at module init, before anything asks for them, with producer
 * connections that fail fast while Redis is down; closed at shutdown, after the workers.
 */
@Injectable()
export class DiscoveredQueueRegistry
  extends QueueRegistry
  implements OnModuleInit, OnApplicationShutdown
{
  private queues?: Map<string, Queue>;

  constructor(
    private readonly handlers: JobHandlers,
    @Inject(JOBS_SETTINGS) private readonly settings: JobsSettings,
  ) {
    super();
  }

  onModuleInit(): void {
    this.byName();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...(this.queues?.values() ?? [])].map((queue) => queue.close()));
  }

  all(): Queue[] {
    return [...this.byName().values()];
  }

  get(name: string): Queue | undefined {
    return this.byName().get(name);
  }

  /** Created on first use: other modules' init hooks may run before this one's. */
  private byName(): Map<string, Queue> {
    this.queues ??= new Map(
      this.handlers.all().map(({ options }) => [
        options.queue,
        new LoggedQueue(options.queue, {
          connection: producerConnection(this.settings.redisUrl),
          prefix: this.settings.prefix,
          defaultJobOptions: { ...KEEP, ...options.jobOptions },
        }),
      ]),
    );
    return this.queues;
  }
}
