import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { QueueRegistry } from '@mas/jobs';
import { RedisModule } from '../redis/redis.module.js';
import { DiscoveredQueueRegistry } from './discovered-queue-registry.js';
import { HandedOffRequeue } from './handed-off-requeue.js';
import { JobHandlers } from './job-handlers.js';
import { JobSchedulesRegistrar } from './job-schedules.registrar.js';
import { JOBS_SETTINGS, type JobsSettings } from './jobs-settings.js';
import { OutboxQueueDispatchers } from './outbox-queue-dispatchers.js';
import { QueueWorkers } from './queue-workers.js';
import { RedisDataLossWatcher } from './redis-data-loss.watcher.js';
import { WorkerHealthCheck } from './worker-health/worker-health.check.js';
import { WorkerHealthServer } from './worker-health/worker-health.server.js';

/**
 * The BullMQ runtime for the `@JobHandler` providers of every module (each lives beside the
 * feature it serves): their queues (QueueRegistry) and the Redis data-loss watcher in every
 * process; what else runs depends on APP_ROLE: outbox dispatchers beside the relay and the
 * re-queue of handed-off rows after a Redis data loss (api, all), workers and schedules (worker,
 * all), the worker's own health server (worker).
 */
@Module({})
export class JobsModule {
  static forRoot(settings: JobsSettings): DynamicModule {
    return {
      module: JobsModule,
      global: true,
      imports: [DiscoveryModule, RedisModule],
      providers: [
        { provide: JOBS_SETTINGS, useValue: settings },
        JobHandlers,
        { provide: QueueRegistry, useClass: DiscoveredQueueRegistry },
        RedisDataLossWatcher,
        ...(settings.runsOutboxDispatchers ? [OutboxQueueDispatchers, HandedOffRequeue] : []),
        ...(settings.runsWorkers ? [QueueWorkers, JobSchedulesRegistrar] : []),
        ...(settings.servesWorkerHealth ? [WorkerHealthCheck, WorkerHealthServer] : []),
      ],
      exports: [JOBS_SETTINGS, QueueRegistry],
    };
  }
}
