import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@mas/persistence';
import { type EntityManager } from 'typeorm';
import { type ResourceDefinition, type SourceDefinition } from '../source/resource-definitions.js';

/** Where a resource's pass stands, read at the start of a run. */
export interface PassPosition {
  watermark: Date | null;
  passSince: Date | null;
  cursor: string | null;
}

export interface CommittedPage {
  /** The `updated_since` the page was asked with. */
  since: Date | null;
  /** The page's next_cursor: null when it was the last page of the pass. */
  nextCursor: string | null;
  /** The newest `updated_at` on the page (null for an empty page). */
  newest: Date | null;
  items: number;
  deleted: number;
}

/** The run no longer holds its lease: another run may have taken the source over. */
export class LeaseLostError extends Error {
  constructor(source: string) {
    super(`the ${source} sync lease was lost; the run stopped`);
  }
}

/** The sync_state writes of a run, each fenced by the run's lease. */
@Injectable()
export class SyncProgress {
  constructor(private readonly transactions: TransactionRunner) {}

  async position(source: SourceDefinition, resource: ResourceDefinition): Promise<PassPosition> {
    const [row] = await this.transactions
      .manager()
      .query<{ watermark: Date | null; pass_since: Date | null; cursor: string | null }[]>(
        `SELECT watermark, pass_since, cursor FROM ${source.schema}.sync_state WHERE resource = $1`,
        [resource.name],
      );
    return { watermark: row.watermark, passSince: row.pass_since, cursor: row.cursor };
  }

  /**
   * In the page's transaction, before its rows: moves the pass on past the page, or fails with
   * LeaseLostError when the run's lease is gone (the whole page then rolls back). The row lock it
   * takes also orders the page after any heartbeat in flight.
   */
  async advance(
    tx: EntityManager,
    source: SourceDefinition,
    resource: ResourceDefinition,
    owner: string,
    page: CommittedPage,
    leaseMs: number,
  ): Promise<void> {
    const [, updated] = await tx.query<[unknown, number]>(
      `UPDATE ${source.schema}.sync_state
          SET cursor = $3, pass_since = $4, watermark = GREATEST(watermark, $5),
              pages_synced = pages_synced + 1, items_synced = items_synced + $6,
              items_deleted = items_deleted + $7, last_run_items = last_run_items + $6,
              caught_up_at = CASE WHEN $3::text IS NULL THEN now() ELSE caught_up_at END,
              consecutive_failures = CASE WHEN $3::text IS NULL THEN 0 ELSE consecutive_failures END,
              lease_until = now() + $8 * interval '1 millisecond'
        WHERE resource = $1 AND lease_owner = $2 AND lease_until > now()`,
      [
        resource.name,
        owner,
        page.nextCursor,
        page.since,
        page.newest,
        page.items,
        page.deleted,
        leaseMs,
      ],
    );
    if (updated !== 1) throw new LeaseLostError(source.name);
  }

  /** A pass whose cursor the platform refused starts again from the watermark. */
  async restartPass(
    source: SourceDefinition,
    resource: ResourceDefinition,
    owner: string,
  ): Promise<void> {
    await this.transactions
      .manager()
      .query(
        `UPDATE ${source.schema}.sync_state SET cursor = NULL WHERE resource = $1 AND lease_owner = $2`,
        [resource.name, owner],
      );
  }

  async recordFailure(
    source: SourceDefinition,
    resource: ResourceDefinition,
    owner: string,
    message: string,
  ): Promise<void> {
    await this.transactions.manager().query(
      `UPDATE ${source.schema}.sync_state
          SET failed_runs = failed_runs + 1, consecutive_failures = consecutive_failures + 1,
              last_error = $3, last_error_at = now()
        WHERE resource = $1 AND lease_owner = $2`,
      [resource.name, owner, message.slice(0, 2000)],
    );
  }
}
