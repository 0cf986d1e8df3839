import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@mas/persistence';
import { type ExternalSyncConfig } from '../config/external-sync-config.js';
import { EXTERNAL_SYNC_CONFIG } from '../config/external-sync-config.token.js';
import { SOURCE_DEFINITIONS } from '../source/resource-definitions.js';
import { SOURCE_NAMES, type SourceName } from '../source/source-name.js';

export interface ResourceState {
  resource: string;
  /** The newest platform `updated_at` committed. */
  watermark: Date | null;
  /** A pass is part-way (a run is at it, or one stopped and the next resumes it). */
  passInProgress: boolean;
  lastRunStartedAt: Date | null;
  lastRunFinishedAt: Date | null;
  caughtUpAt: Date | null;
  /** Seconds since a pass last reached the platform's last page; null before the first. */
  lagSeconds: number | null;
  pagesSynced: number;
  itemsSynced: number;
  itemsDeleted: number;
  lastRunItems: number;
  failedRuns: number;
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorAt: Date | null;
}

export interface SourceState {
  source: SourceName;
  /** A URL is configured. */
  enabled: boolean;
  /** A run holds the source's lease now. */
  running: boolean;
  resources: ResourceState[];
}

interface StateRow {
  resource: string;
  watermark: Date | null;
  cursor: string | null;
  running: boolean;
  last_run_started_at: Date | null;
  last_run_finished_at: Date | null;
  caught_up_at: Date | null;
  lag_seconds: number | null;
  pages_synced: number;
  items_synced: number;
  items_deleted: number;
  last_run_items: number;
  failed_runs: number;
  consecutive_failures: number;
  last_error: string | null;
  last_error_at: Date | null;
}

/** The sync state of every source, for admins and metrics; resources never run show as zero. */
@Injectable()
export class SyncStateView {
  constructor(
    @Inject(EXTERNAL_SYNC_CONFIG) private readonly config: ExternalSyncConfig,
    private readonly transactions: TransactionRunner,
  ) {}

  async all(): Promise<SourceState[]> {
    return Promise.all(SOURCE_NAMES.map((source) => this.of(source)));
  }

  async of(name: SourceName): Promise<SourceState> {
    const source = SOURCE_DEFINITIONS[name];
    const rows = await this.transactions.manager().query<StateRow[]>(
      `SELECT resource, watermark, cursor, lease_owner IS NOT NULL AND lease_until > now() AS running,
              last_run_started_at, last_run_finished_at, caught_up_at,
              extract(epoch FROM now() - caught_up_at)::float8 AS lag_seconds,
              pages_synced::float8 AS pages_synced, items_synced::float8 AS items_synced,
              items_deleted::float8 AS items_deleted, last_run_items, failed_runs,
              consecutive_failures, last_error, last_error_at
         FROM ${source.schema}.sync_state`,
    );
    const byResource = new Map(rows.map((row) => [row.resource, row]));
    return {
      source: name,
      enabled: Boolean(this.config.sources[name]),
      running: rows.some((row) => row.running),
      resources: source.resources.map(({ name: resource }) =>
        toState(resource, byResource.get(resource)),
      ),
    };
  }
}

function toState(resource: string, row: StateRow | undefined): ResourceState {
  return {
    resource,
    watermark: row?.watermark ?? null,
    passInProgress: row?.cursor != null,
    lastRunStartedAt: row?.last_run_started_at ?? null,
    lastRunFinishedAt: row?.last_run_finished_at ?? null,
    caughtUpAt: row?.caught_up_at ?? null,
    lagSeconds: row?.lag_seconds ?? null,
    pagesSynced: row?.pages_synced ?? 0,
    itemsSynced: row?.items_synced ?? 0,
    itemsDeleted: row?.items_deleted ?? 0,
    lastRunItems: row?.last_run_items ?? 0,
    failedRuns: row?.failed_runs ?? 0,
    consecutiveFailures: row?.consecutive_failures ?? 0,
    lastError: row?.last_error ?? null,
    lastErrorAt: row?.last_error_at ?? null,
  };
}
