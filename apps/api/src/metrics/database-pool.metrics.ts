import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { MetricsRegistry } from './metrics.registry.js';

/** The counters of the pg Pool behind TypeORM (`PostgresDriver.master`). */
interface PgPoolCounters {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** Connections of the primary's pool in use, idle, and requests waiting for one; read on scrape. */
@Injectable()
export class DatabasePoolMetrics {
  constructor(metrics: MetricsRegistry, dataSource: DataSource) {
    const pool = () => (dataSource.driver as PostgresDriver).master as PgPoolCounters | undefined;
    const gauge = (name: string, help: string, read: (pool: PgPoolCounters) => number) =>
      new Gauge({
        name,
        help,
        registers: [metrics.registry],
        collect() {
          const current = pool();
          if (current) this.set(read(current));
        },
      });
    gauge(
      'mas_db_pool_connections_in_use',
      'Database connections checked out of the pool',
      (current) => current.totalCount - current.idleCount,
    );
    gauge('mas_db_pool_connections_idle', 'Idle database connections in the pool', (current) => {
      return current.idleCount;
    });
    gauge(
      'mas_db_pool_requests_waiting',
      'Queries waiting for a free database connection',
      (current) => current.waitingCount,
    );
  }
}
