import { OutboxCompletion, withTimeout } from '@mas/persistence';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { REDIS } from '../redis/redis.module.js';
import { type FoundJobHandler, JobHandlers } from './job-handlers.js';
import { JOBS_SETTINGS, type JobsSettings } from './jobs-settings.js';
import { outboxCompletingProcessor } from './outbox-completing-processor.js';
import { workerConnection } from './redis-connections.js';
import { throttledErrorLog } from './throttled-error-log.js';

/**
 * One BullMQ worker per discovered job handler, with its own Redis options (maxRetriesPerRequest
 * null, offline queue on) while the queues it shares a name with are producers that must fail
 * fast. Closed before the database pool goes away, letting running jobs finish.
 */
@Injectable()
export class QueueWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('QueueWorkers');
  private workers: Worker[] = [];

  constructor(
    @Inject(JOBS_SETTINGS) private readonly settings: JobsSettings,
    private readonly handlers: JobHandlers,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly completion: OutboxCompletion,
  ) {}

  onApplicationBootstrap(): void {
    this.workers = this.handlers.all().map((found) => this.start(found));
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Without Redis no running job could record its result, and a graceful close would wait for
    // a reconnect that may never come.
    const force = this.redis.status !== 'ready';
    await Promise.all(this.workers.map((worker) => this.close(worker, force)));
  }

  /** Each worker's queue and whether it is processing (false once closed or crashed). */
  status(): { queue: string; running: boolean }[] {
    return this.workers.map((worker) => ({ queue: worker.name, running: worker.isRunning() }));
  }

  private async close(worker: Worker, force: boolean): Promise<void> {
    try {
      await withTimeout(worker.close(force), force ? 2000 : this.settings.shutdownTimeoutMs);
    } catch (error) {
      this.logger.warn(`worker ${worker.name} did not close: ${(error as Error).message}`);
      await worker.disconnect().catch(() => undefined);
    }
  }

  private start({ options: { queue }, handler, concurrency }: FoundJobHandler): Worker {
    const worker = new Worker(queue, outboxCompletingProcessor(handler, this.completion), {
      connection: workerConnection(this.settings.redisUrl),
      prefix: this.settings.prefix,
      concurrency,
      lockDuration: this.settings.lockDurationMs,
      stalledInterval: this.settings.lockDurationMs,
    });
    worker.on('error', throttledErrorLog(this.logger, `worker ${queue}`));
    worker.on('failed', (job, error) => {
      if (!job) return;
      const final =
        error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      const message = `job ${queue}/${job.id} failed (attempt ${job.attemptsMade}): ${error.message}`;
      if (final) this.logger.error(message);
      else this.logger.warn(message);
    });
    return worker;
  }
}
