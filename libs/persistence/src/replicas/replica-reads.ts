import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type DatabaseConfig } from '../config/database-config.js';
import { DATABASE_CONFIG } from '../persistence.tokens.js';
import { isReplicaUnavailableError } from './replica-errors.js';
import { ReplicaSet } from './replica-set.js';
import { parseWalPosition, type WalPosition } from './wal-position.js';
import { LocalWritePositions, type WritePositions } from './write-positions.js';

export type ReadTarget = 'replica' | 'primary';
/**
 * Why a read went where it did: `stale_ok` (a replica, nothing of the caller's to wait for),
 * `caught_up` (a replica that has replayed the caller's last write), `own_write` (no replica has
 * replayed it yet), `no_replica` (none up and within the lag bound), `replica_failed` (the replica
 * failed mid-read; the read was repeated on the primary), `position_unknown` (the caller's last
 * write position could not be read).
 */
export type ReadReason =
  'stale_ok' | 'caught_up' | 'own_write' | 'no_replica' | 'replica_failed' | 'position_unknown';

export type ReadListener = (target: ReadTarget, reason: ReadReason) => void;

/**
 * Reads that may be slightly stale (lists, lookups, KPI, search) go through here. With no
 * replica configured they run on the primary, as before. With replicas, a read goes to one that
 * is up, within the lag bound, and has replayed the caller's last write; otherwise to the primary.
 * Transactions and writes never come here: they use TransactionRunner, on the primary.
 */
@Injectable()
export class ReplicaReads {
  private positions: WritePositions;
  private readonly listeners: ReadListener[] = [];

  constructor(
    private readonly replicas: ReplicaSet,
    private readonly primary: DataSource,
    @Inject(DATABASE_CONFIG) config: DatabaseConfig,
  ) {
    this.positions = new LocalWritePositions(config.replicas.writePositionTtlMs);
  }

  get enabled(): boolean {
    return this.replicas.enabled;
  }

  /** The store shared by every instance (the app registers Redis at boot). */
  useWritePositions(positions: WritePositions): void {
    this.positions = positions;
  }

  onRead(listener: ReadListener): void {
    this.listeners.push(listener);
  }

  /**
   * Runs `work` on a replica when that is safe for `callerId` (the user whose own writes must be
   * visible; undefined for an anonymous read), else on the primary.
   */
  async run<T>(
    callerId: string | undefined,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    if (!this.enabled) return work(this.primary.manager);
    // Nothing to choose from: no need to ask where the caller's last write stands.
    if (!this.replicas.anyUp) return this.onPrimary(work, 'no_replica');
    let lastWrite: WalPosition | null = null;
    if (callerId !== undefined) {
      try {
        lastWrite = await this.positions.lastOf(callerId);
      } catch {
        return this.onPrimary(work, 'position_unknown');
      }
    }
    const replica = this.replicas.pick(lastWrite);
    if (!replica) return this.onPrimary(work, lastWrite === null ? 'no_replica' : 'own_write');
    let result: T;
    try {
      result = await work(replica.manager);
    } catch (error) {
      if (!isReplicaUnavailableError(error)) throw error;
      replica.markDown(error);
      return this.onPrimary(work, 'replica_failed');
    }
    this.notify('replica', lastWrite === null ? 'stale_ok' : 'caught_up');
    return result;
  }

  /**
   * Called once a request's writes have committed: from now on the caller reads only from the
   * primary or a replica that has replayed them.
   */
  async noteWriteBy(callerId: string): Promise<void> {
    if (!this.enabled) return;
    const [row] = await this.primary.query<{ position: string }[]>(
      'SELECT pg_current_wal_lsn()::text AS position',
    );
    await this.positions.record(callerId, parseWalPosition(row.position));
  }

  private async onPrimary<T>(
    work: (manager: EntityManager) => Promise<T>,
    reason: ReadReason,
  ): Promise<T> {
    const result = await work(this.primary.manager);
    this.notify('primary', reason);
    return result;
  }

  private notify(target: ReadTarget, reason: ReadReason): void {
    for (const listener of this.listeners) listener(target, reason);
  }
}
