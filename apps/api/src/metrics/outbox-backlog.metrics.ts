import { withTimeout } from '@mas/persistence';
import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from './metrics.registry.js';

/**
 * Outbox rows not done yet, read on scrape (a partial index covers each status): pending ones wait
 * for the relay, handed-off ones wait for their job's consumer in Redis.
 */
@Injectable()
export class OutboxBacklogMetrics {
  constructor(metrics: MetricsRegistry, dataSource: DataSource) {
    // The status is a literal, not a parameter, so the planner always picks its partial index.
    const gauge = (name: string, help: string, status: 'pending' | 'handed_off') =>
      new Gauge({
        name,
        help,
        registers: [metrics.registry],
        async collect() {
          try {
            const [row] = await withTimeout(
              dataSource.query<{ n: number }[]>(
                `SELECT count(*)::int AS n FROM outbox_messages WHERE status = '${status}'`,
              ),
              1000,
            );
            this.set(row.n);
          } catch {
            this.reset();
          }
        },
      });
    gauge(
      'mas_outbox_pending_messages',
      'Outbox messages not yet dispatched (status pending)',
      'pending',
    );
    gauge(
      'mas_outbox_handed_off_messages',
      'Email and job outbox messages in Redis whose consumer has not completed them yet',
      'handed_off',
    );
  }
}
