import { withTimeout } from '@mas/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Gauge } from 'prom-client';
import { QueueRegistry } from '@mas/jobs';
import { REDIS } from '../redis/redis.module.js';
import { MetricsRegistry } from './metrics.registry.js';

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Jobs per queue and state, read from Redis on scrape. While Redis is down the series are
 * dropped (absent, not zero) and `mas_queue_metrics_up` says why.
 */
@Injectable()
export class QueueDepthMetrics {
  constructor(metrics: MetricsRegistry, queues: QueueRegistry, @Inject(REDIS) redis: Redis) {
    const up = new Gauge({
      name: 'mas_queue_metrics_up',
      help: '1 when the queue depths could be read from Redis at this scrape, 0 otherwise',
      registers: [metrics.registry],
    });
    new Gauge({
      name: 'mas_queue_jobs',
      help: 'Jobs per queue and state (waiting, active, delayed, failed)',
      labelNames: ['queue', 'state'],
      registers: [metrics.registry],
      async collect() {
        this.reset();
        try {
          // A queue that never reached Redis waits for it: do not even ask while it is down.
          if (redis.status !== 'ready') throw new Error('redis is not connected');
          for (const queue of queues.all()) {
            const counts = await withTimeout(queue.getJobCounts(...STATES), 1000);
            for (const state of STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          }
          up.set(1);
        } catch {
          this.reset();
          up.set(0);
        }
      },
    });
  }
}
