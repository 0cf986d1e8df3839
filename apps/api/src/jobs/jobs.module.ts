import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { WorkflowModule } from '@mas/workflow';
import type { DefaultJobOptions } from 'bullmq';
import { type AppConfig } from '../config/app-config.js';
import { EmailJobHandler } from '../email/email-job.handler.js';
import { EmailModule } from '../email/email.module.js';
import { KpiJobHandler } from '../kpi/kpi-job.handler.js';
import { KpiModule } from '../kpi/kpi.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { WorkflowJobHandler } from '../workflow/workflow-job.handler.js';
import { CleanupJobHandler } from './cleanup/cleanup-job.handler.js';
import { CleanupService } from './cleanup/cleanup.service.js';
import { HandedOffRequeue } from './handed-off-requeue.js';
import { JOB_HANDLERS, JOBS_SETTINGS } from './job-handler.js';
import { JobSchedulesRegistrar } from './job-schedules.registrar.js';
import { LoggedQueue } from './logged-queue.js';
import { OutboxQueueDispatchers } from './outbox-queue-dispatchers.js';
import { QueueName } from './queue-names.js';
import { QueueRegistry } from './queue-registry.js';
import { QueueWorkers } from './queue-workers.js';
import { producerConnection } from './redis-connections.js';
import { RedisDataLossWatcher } from './redis-data-loss.watcher.js';
import { WorkerHealthCheck } from './worker-health/worker-health.check.js';
import { WorkerHealthServer } from './worker-health/worker-health.server.js';

/**
 * Finished jobs stay a day, failed ones a week: long enough for the dashboard, and for jobId
 * deduplication to outlive the outbox relay's retry window (a removed job id could be re-added).
 */
const KEEP: DefaultJobOptions = {
  removeOnComplete: { age: 24 * 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
};

/**
 * BullMQ queues (cleanup, kpi, email, workflow) and the Redis data-loss watcher in every process;
 * what else runs depends on APP_ROLE: outbox dispatchers beside the relay and the re-queue of
 * handed-off rows after a Redis data loss (api, all), workers and schedules (worker, all), the
 * worker's own health server (worker).
 */
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const settings = config.jobs;
    BullModule.queueClass = LoggedQueue;
    const queues = BullModule.registerQueue(
      {
        name: QueueName.Email,
        defaultJobOptions: {
          ...KEEP,
          attempts: 5,
          backoff: { type: 'exponential', delay: 10_000 },
        },
      },
      {
        name: QueueName.Kpi,
        defaultJobOptions: {
          ...KEEP,
          attempts: 3,
          backoff: { type: 'exponential', delay: 30_000 },
        },
      },
      {
        name: QueueName.Workflow,
        // Step failures are the engine's (recorded, retried per step); a failed job means the
        // database was unreachable, and the job is simply tried again.
        defaultJobOptions: {
          ...KEEP,
          attempts: 10,
          backoff: { type: 'exponential', delay: 1000 },
        },
      },
      {
        name: QueueName.Cleanup,
        defaultJobOptions: {
          ...KEEP,
          attempts: 3,
          backoff: { type: 'exponential', delay: 60_000 },
        },
      },
    );
    const handlers: Provider = {
      provide: JOB_HANDLERS,
      inject: [CleanupJobHandler, KpiJobHandler, EmailJobHandler, WorkflowJobHandler],
      useFactory: (...all: unknown[]) => all,
    };
    return {
      module: JobsModule,
      global: true,
      imports: [
        BullModule.forRoot({
          connection: producerConnection(settings.redisUrl),
          prefix: settings.prefix,
        }),
        queues,
        KpiModule,
        EmailModule,
        RedisModule,
        WorkflowModule,
      ],
      providers: [
        { provide: JOBS_SETTINGS, useValue: settings },
        QueueRegistry,
        CleanupService,
        CleanupJobHandler,
        WorkflowJobHandler,
        handlers,
        RedisDataLossWatcher,
        ...(settings.runsOutboxDispatchers ? [OutboxQueueDispatchers, HandedOffRequeue] : []),
        ...(settings.runsWorkers ? [QueueWorkers, JobSchedulesRegistrar] : []),
        ...(settings.servesWorkerHealth ? [WorkerHealthCheck, WorkerHealthServer] : []),
      ],
      exports: [queues, JOBS_SETTINGS, QueueRegistry, CleanupService],
    };
  }
}
