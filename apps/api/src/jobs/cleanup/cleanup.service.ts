import { Inject, Injectable } from '@nestjs/common';
import { DATABASE_CONFIG, type DatabaseConfig } from '@mas/persistence';
import { DataSource } from 'typeorm';

export interface CleanupOptions {
  /** Rows deleted per statement: short statements keep locks and WAL bursts small. */
  batchSize?: number;
  /** Statements per table and run; what is left waits for the next run. */
  maxRounds?: number;
}

export interface CleanupResult {
  expiredSlotsDeleted: number;
  outboxMessagesPruned: number;
}

/**
 * Expired tentative slots nobody booked: never referenced by the ledger (a rejected request goes
 * back to tentative but keeps its debit and refund rows, which must keep pointing at the slot).
 * SKIP LOCKED leaves a slot that a request is handling right now for the next run.
 */
const DELETE_EXPIRED_SLOTS = `
  DELETE FROM slots WHERE id IN (
    SELECT s.id FROM slots s
     WHERE s.status = 'tentative' AND s.ends_at < now()
       AND NOT EXISTS (SELECT 1 FROM token_usages u WHERE u.slot_id = s.id)
     LIMIT $1 FOR UPDATE SKIP LOCKED)`;

const PRUNE_DISPATCHED_OUTBOX = `
  DELETE FROM outbox_messages WHERE id IN (
    SELECT id FROM outbox_messages
     WHERE status = 'dispatched' AND dispatched_at < now() - make_interval(days => $2)
     LIMIT $1 FOR UPDATE SKIP LOCKED)`;

/** The daily cleanup: bounded batches, idempotent (a second run finds nothing to delete). */
@Injectable()
export class CleanupService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(DATABASE_CONFIG) private readonly config: DatabaseConfig,
  ) {}

  async run({ batchSize = 1000, maxRounds = 100 }: CleanupOptions = {}): Promise<CleanupResult> {
    return {
      expiredSlotsDeleted: await this.deleteInBatches(
        DELETE_EXPIRED_SLOTS,
        [],
        batchSize,
        maxRounds,
      ),
      outboxMessagesPruned: await this.deleteInBatches(
        PRUNE_DISPATCHED_OUTBOX,
        [this.config.outbox.retentionDays],
        batchSize,
        maxRounds,
      ),
    };
  }

  /** Repeats `sql` (each time its own short transaction) until a batch comes back short. */
  private async deleteInBatches(
    sql: string,
    parameters: unknown[],
    batchSize: number,
    maxRounds: number,
  ): Promise<number> {
    let total = 0;
    for (let round = 0; round < maxRounds; round++) {
      const [, deleted] = await this.dataSource.query<[unknown[], number]>(sql, [
        batchSize,
        ...parameters,
      ]);
      total += deleted;
      if (deleted < batchSize) break;
    }
    return total;
  }
}
