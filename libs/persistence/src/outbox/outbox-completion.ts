import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isUuid } from '../validation/uuid.js';

/**
 * Ends an email or job outbox row from its consumer: `done` once the job's effect is recorded,
 * `failed` once the job failed for good. Only a row still open (pending or handed off) changes, so
 * a late or repeated call never reopens or flips a finished row, and the relay's own
 * pending -> handed_off update never overwrites a consumer that finished first.
 */
@Injectable()
export class OutboxCompletion {
  constructor(private readonly dataSource: DataSource) {}

  /** True when `id` may name an outbox row: outbox ids are uuids; scheduled jobs have other ids. */
  static isOutboxId(id: string | undefined): id is string {
    return isUuid(id);
  }

  /**
   * The UPDATE ending the open row `id` (SQL: a bound parameter) as done, for a consumer that
   * writes it into the statement recording its effect; with `when`, only if that SQL condition holds.
   */
  static doneSql(id: string, when?: string): string {
    return `UPDATE outbox_messages SET status = 'dispatched', dispatched_at = now(), last_error = NULL
        WHERE id = ${id} AND status IN ('pending', 'handed_off')${when ? ` AND ${when}` : ''}`;
  }

  /** `tx`: the consumer's transaction, so the row is done exactly when the effect commits. */
  async done(id: string, tx: EntityManager = this.dataSource.manager): Promise<void> {
    await tx.query(OutboxCompletion.doneSql('$1'), [id]);
  }

  async failed(id: string, error: string, tx: EntityManager = this.dataSource.manager) {
    await tx.query(
      `UPDATE outbox_messages SET status = 'failed', last_error = $2
        WHERE id = $1 AND status IN ('pending', 'handed_off')`,
      [id, error.slice(0, 2000)],
    );
  }
}
