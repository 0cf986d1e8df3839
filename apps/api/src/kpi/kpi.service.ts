import { Injectable } from '@nestjs/common';
import { OutboxService, ReplicaReads, roleRoom, TransactionRunner } from '@mas/persistence';
import { UserRole } from '@mas/identity';
import { KPI_METRICS_SQL, type KpiMetrics } from './kpi-metrics.sql.js';
import { KpiSnapshot } from './kpi-snapshot.entity.js';

export interface KpiSnapshotView {
  id: string;
  computedAt: Date;
  metrics: KpiMetrics;
}

interface SnapshotRow {
  id: string;
  computed_at: Date;
  metrics: KpiMetrics;
}

@Injectable()
export class KpiService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly outbox: OutboxService,
    private readonly reads: ReplicaReads,
  ) {}

  /**
   * Computes the aggregates and stores them as a snapshot; the `kpi.updated` event is recorded in
   * the same transaction, so admins hear of exactly the snapshots that were committed.
   */
  async computeSnapshot(): Promise<KpiSnapshotView> {
    return this.transactions.run(async (tx) => {
      const [row] = await tx.query<SnapshotRow[]>(
        `INSERT INTO superadmin.kpi_snapshots (metrics) ${KPI_METRICS_SQL} RETURNING id, computed_at, metrics`,
      );
      const snapshot = { id: row.id, computedAt: row.computed_at, metrics: row.metrics };
      await this.outbox.publish(tx, {
        type: 'kpi.updated',
        data: { snapshotId: snapshot.id, computedAt: snapshot.computedAt.toISOString() },
        rooms: [roleRoom(UserRole.Admin)],
      });
      return snapshot;
    });
  }

  /** May be served by a read replica that has replayed the reader's own writes (a refresh). */
  async latest(readerId: string): Promise<KpiSnapshotView | null> {
    const snapshot = await this.reads.run(readerId, (manager) =>
      manager
        .getRepository(KpiSnapshot)
        .findOne({ where: {}, order: { computedAt: 'DESC', id: 'DESC' } }),
    );
    return snapshot
      ? {
          id: snapshot.id,
          computedAt: snapshot.computedAt,
          metrics: snapshot.metrics as unknown as KpiMetrics,
        }
      : null;
  }
}
