import { Injectable } from '@nestjs/common';
import { ReplicaReads, ReplicaSet } from '@mas/persistence';
import { Counter, Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics.registry.js';

/**
 * Where stale-tolerant reads were served (replica or primary, and why), and each replica's lag;
 * the share of reads the replicas serve is `sum(mas_db_reads_total{target="replica"})` over the sum.
 */
@Injectable()
export class ReplicaReadsMetrics {
  constructor(metrics: MetricsRegistry, reads: ReplicaReads, replicas: ReplicaSet) {
    const served = new Counter({
      name: 'mas_db_reads_total',
      help: 'Stale-tolerant reads, by where they were served (replica, primary) and why',
      labelNames: ['target', 'reason'],
      registers: [metrics.registry],
    });
    reads.onRead((target, reason) => served.inc({ target, reason }));
    new Gauge({
      name: 'mas_db_replica_lag_ms',
      help: 'Milliseconds each read replica is behind the primary (-1 while it is down)',
      labelNames: ['replica', 'status'],
      registers: [metrics.registry],
      collect() {
        this.reset();
        for (const { current } of replicas.replicas)
          this.set({ replica: current.name, status: current.status }, current.lagMs ?? -1);
      },
    });
  }
}
