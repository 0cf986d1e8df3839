import { withTimeout } from '@mas/persistence';
import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from './metrics.registry.js';

/** Outbox rows still waiting to be dispatched; read on scrape (a partial index covers it). */
@Injectable()
export class OutboxBacklogMetrics {
  constructor(metrics: MetricsRegistry, dataSource: DataSource) {
    new Gauge({
      name: 'mas_outbox_pending_messages',
      help: 'Outbox messages not yet dispatched (status pending)',
      registers: [metrics.registry],
      async collect() {
        try {
          const [row] = await withTimeout(
            dataSource.query<{ pending: number }[]>(
              `SELECT count(*)::int AS pending FROM outbox_messages WHERE status = 'pending'`,
            ),
            1000,
          );
          this.set(row.pending);
        } catch {
          this.reset();
        }
      },
    });
  }
}
