import { withTimeout } from '@mas/persistence';
import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { JOB_SCHEDULES } from './job-schedules.js';
import { QueueRegistry } from './queue-registry.js';

const RETRY_MS = 10_000;

/**
 * Registers the schedules with `upsertJobScheduler` (idempotent: one schedule however many
 * instances boot). Runs in the background and retries until Redis answers, so a Redis outage
 * neither blocks nor fails the boot.
 */
@Injectable()
export class JobSchedulesRegistrar implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobSchedules');
  private readonly stop = new AbortController();
  private registering?: Promise<void>;

  constructor(private readonly queues: QueueRegistry) {}

  onApplicationBootstrap(): void {
    this.registering = this.registerUntilDone();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.registering;
  }

  /** Upserts every schedule once; throws when Redis does not answer. */
  async registerAll(): Promise<void> {
    for (const schedule of JOB_SCHEDULES) {
      const queue = this.queues.get(schedule.queue)!;
      await withTimeout(
        queue.upsertJobScheduler(schedule.id, schedule.repeat, { name: schedule.jobName }),
        5000,
      );
    }
  }

  private async registerUntilDone(): Promise<void> {
    const stopped = new Promise<never>((_, reject) => {
      this.stop.signal.addEventListener('abort', () => reject(new Error('shutting down')));
    });
    stopped.catch(() => undefined);
    while (!this.stop.signal.aborted) {
      try {
        await Promise.race([this.registerAll(), stopped]);
        this.logger.log(`registered schedules: ${JOB_SCHEDULES.map((s) => s.id).join(', ')}`);
        return;
      } catch (error) {
        if (this.stop.signal.aborted) return;
        this.logger.warn(`schedules not registered yet: ${(error as Error).message}`);
        await sleep(RETRY_MS, undefined, { signal: this.stop.signal }).catch(() => undefined);
      }
    }
  }
}
