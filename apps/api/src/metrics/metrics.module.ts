import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { WORKER_METRICS_SOURCE } from './worker-metrics-source.js';
import { RedisModule } from '../redis/redis.module.js';
import { DatabasePoolMetrics } from './database-pool.metrics.js';
import { ExternalSyncMetrics } from './external-sync.metrics.js';
import { HttpMetricsMiddleware } from './http-metrics.middleware.js';
import { HttpRequestDuration } from './http-request-duration.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRegistry } from './metrics.registry.js';
import { OutboxBacklogMetrics } from './outbox-backlog.metrics.js';
import { QueueDepthMetrics } from './queue-depth.metrics.js';
import { ReplicaReadsMetrics } from './replica-reads.metrics.js';

/** Prometheus metrics at GET /api/metrics (and /metrics of a worker's health server). */
@Module({
  imports: [RedisModule],
  controllers: [MetricsController],
  providers: [
    MetricsRegistry,
    DatabasePoolMetrics,
    QueueDepthMetrics,
    OutboxBacklogMetrics,
    ReplicaReadsMetrics,
    ExternalSyncMetrics,
    HttpRequestDuration,
    { provide: WORKER_METRICS_SOURCE, useExisting: MetricsRegistry },
  ],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('{*path}');
  }
}
