import { type JobSchedule, QueueRegistry } from '@mas/jobs';
import { withTimeout } from '@mas/persistence';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobHandlers } from './job-handlers.js';
import { RedisDataLossWatcher } from './redis-data-loss.watcher.js';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

/**
 * Registers the `schedule` of every discovered job handler with `upsertJobScheduler` (idempotent:
 * one schedule however many instances boot, under the id the handler gives it). Runs in the background and retries until Redis answers, so a Redis outage
 * neither blocks nor fails the boot. Registers again whenever the RedisDataLossWatcher reports that
 * Redis lost its data (restarted empty, flushed, failed over to an empty replica): such a Redis
 * would otherwise run no schedule until the next deploy.
 */
@Injectable()
export class JobSchedulesRegistrar
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger('JobSchedules');
  private readonly stop = new AbortController();
  private registering: Promise<void> = Promise.resolve();
  /** Rejects at shutdown: one listener however often Redis comes back. */
  private readonly stopped = new Promise<never>((_, reject) => {
    this.stop.signal.addEventListener('abort', () => reject(new Error('shutting down')));
  });

  constructor(
    private readonly handlers: JobHandlers,
    private readonly queues: QueueRegistry,
    private readonly dataLoss: RedisDataLossWatcher,
  ) {
    this.stopped.catch(() => undefined);
  }

  /** Subscribed before the watcher's first check (at bootstrap). */
  onModuleInit(): void {
    this.dataLoss.onDataLost(() => {
      if (this.stop.signal.aborted) return;
      this.logger.log('redis lost its data: registering the schedules again');
      this.registerInBackground();
    });
  }

  onApplicationBootstrap(): void {
    this.registerInBackground();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.registering;
  }

  /** Upserts every schedule once; throws when Redis does not answer. */
  async registerAll(): Promise<void> {
    for (const { queue, schedule } of this.schedules()) {
      const template = { name: schedule.jobName, data: schedule.data };
      await withTimeout(
        this.queues.get(queue)!.upsertJobScheduler(schedule.id, schedule.repeat, template),
        5000,
      );
    }
  }

  private schedules(): { queue: string; schedule: JobSchedule }[] {
    return this.handlers.all().flatMap(({ handler, options: { queue, schedule: declared } }) => {
      const schedule = handler.schedule ?? declared;
      return schedule ? [{ queue, schedule }] : [];
    });
  }

  /** One registration at a time: a loss during one queues the next behind it. */
  private registerInBackground(): void {
    this.registering = this.registering.then(() => this.registerUntilDone());
  }

  private async registerUntilDone(): Promise<void> {
    let retryMs = FIRST_RETRY_MS;
    while (!this.stop.signal.aborted) {
      try {
        await Promise.race([this.registerAll(), this.stopped]);
        const ids = this.schedules().map(({ schedule }) => schedule.id);
        this.logger.log(`registered schedules: ${ids.join(', ')}`);
        return;
      } catch (error) {
        if (this.stop.signal.aborted) return;
        this.logger.warn(`schedules not registered yet: ${(error as Error).message}`);
        await sleep(retryMs, undefined, { signal: this.stop.signal }).catch(() => undefined);
        retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
      }
    }
  }
}
