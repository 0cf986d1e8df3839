import { type ResourceState, type SourceState, SyncStateView } from '@mas/external-sync';
import { withTimeout } from '@mas/persistence';
import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics.registry.js';

/**
 * The gauges of one scrape share one read of the sync state: prom-client calls every collect in
 * registration order without waiting, so the first gauge reads afresh and the others take that read
 * (or read themselves when it is older than this, e.g. the first gauge was not asked for).
 */
const SHARED_READ_MS = 1000;

/**
 * The Mr. Learn / Mr. Test sync, read from sync_state on scrape, so every instance reports the
 * same figures whichever ran the sync: items applied, lag behind the platform, failed runs.
 */
@Injectable()
export class ExternalSyncMetrics {
  private read?: { at: number; states: Promise<SourceState[]> };

  constructor(
    metrics: MetricsRegistry,
    private readonly state: SyncStateView,
  ) {
    const perResource = (
      name: string,
      help: string,
      value: (resource: ResourceState) => number | null,
      fresh = false,
    ) => {
      const snapshot = () => this.snapshot(fresh);
      new Gauge({
        name,
        help,
        labelNames: ['source', 'resource'],
        registers: [metrics.registry],
        async collect() {
          this.reset();
          const states = await snapshot().catch(() => []);
          for (const { source, resources } of states) {
            for (const resource of resources) {
              const current = value(resource);
              if (current !== null) this.set({ source, resource: resource.resource }, current);
            }
          }
        },
      });
    };
    perResource(
      'mas_external_sync_items_synced',
      'Items applied (upserted or deleted) from the partner platform, ever',
      (resource) => resource.itemsSynced,
      true,
    );
    perResource(
      'mas_external_sync_lag_seconds',
      'Seconds since a sync pass last reached the platform’s last page',
      (resource) => resource.lagSeconds,
    );
    perResource(
      'mas_external_sync_failed_runs',
      'Sync runs of the resource that stopped on an error, ever',
      (resource) => resource.failedRuns,
    );
    perResource(
      'mas_external_sync_consecutive_failures',
      'Failed sync runs since the last one that caught up',
      (resource) => resource.consecutiveFailures,
    );
  }

  private snapshot(fresh: boolean): Promise<SourceState[]> {
    if (fresh || !this.read || Date.now() - this.read.at > SHARED_READ_MS) {
      this.read = { at: Date.now(), states: withTimeout(this.state.all(), 1000) };
    }
    return this.read.states;
  }
}
