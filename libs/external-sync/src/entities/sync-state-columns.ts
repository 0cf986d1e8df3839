import { Column, PrimaryColumn } from 'typeorm';

/**
 * Where the sync of one resource of a source stands. Each source keeps these rows in its own
 * schema (mrlearn.sync_state, mrtest.sync_state), one per resource.
 *
 * A pass pulls `updated_since = pass_since` page by page; each page's transaction moves `cursor` to
 * the next page and `watermark` to the newest `updated_at` it committed, so a crash resumes from the
 * last committed page. The pass ends on the last page (cursor back to null); the next pass starts
 * from the watermark. The lease (lease_owner, lease_until) is held on every row of the source for
 * the whole run: one run of a source at a time, across instances, and a dead run's lease expires.
 */
export abstract class SyncStateColumns {
  @PrimaryColumn({ type: 'text' })
  resource: string;

  /** The newest source `updated_at` committed; the next pass asks for changes since it. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  watermark: Date | null;

  /** The `updated_since` of the pass in progress (null: a full pass). */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  passSince: Date | null;

  /** The source's opaque cursor of the next page of the pass in progress; null between passes. */
  @Column({ type: 'text', nullable: true })
  cursor: string | null;

  @Column({ type: 'text', nullable: true })
  leaseOwner: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  leaseUntil: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lastRunStartedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lastRunFinishedAt: Date | null;

  /** When a pass last reached the source's last page: the lag is measured from here. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  caughtUpAt: Date | null;

  /** Pages committed, ever. */
  @Column({ type: 'bigint', default: 0 })
  pagesSynced: string;

  /** Items received and applied (upserted or deleted), ever; a page counts once. */
  @Column({ type: 'bigint', default: 0 })
  itemsSynced: string;

  @Column({ type: 'bigint', default: 0 })
  itemsDeleted: string;

  /** Items applied by the last (or the running) run. */
  @Column({ type: 'integer', default: 0 })
  lastRunItems: number;

  @Column({ type: 'integer', default: 0 })
  failedRuns: number;

  /** Failed runs since the last one that caught up. */
  @Column({ type: 'integer', default: 0 })
  consecutiveFailures: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lastErrorAt: Date | null;
}
