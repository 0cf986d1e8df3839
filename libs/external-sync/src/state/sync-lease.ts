import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@mas/persistence';
import { type SourceDefinition } from '../source/resource-definitions.js';

/**
 * One run of a source at a time, across instances: a lease on the source's sync_state rows, held
 * by an owner id until `lease_until`. A run renews it while it works; a run that died (killed,
 * crashed, partitioned) stops renewing and the lease lapses, so nothing stays locked forever. Every
 * page commit checks it still holds the lease (the fence), so a run that lost it writes nothing more.
 * A row lease rather than an advisory lock: it needs no session of its own, so it holds behind a
 * transaction-mode pooler.
 */
@Injectable()
export class SyncLease {
  constructor(private readonly transactions: TransactionRunner) {}

  /** Takes the lease unless a live one is held by another owner; false when it is. */
  async acquire(source: SourceDefinition, owner: string, leaseMs: number): Promise<boolean> {
    const resources = source.resources.map((resource) => resource.name);
    await this.transactions
      .manager()
      .query(
        `INSERT INTO ${source.schema}.sync_state (resource) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`,
        [resources],
      );
    return this.transactions.run(async (tx) => {
      // Every row of the source, in one order: two runs asking at once queue on the first row.
      const rows = await tx.query<{ busy: boolean }[]>(
        `SELECT lease_owner IS NOT NULL AND lease_owner <> $2 AND lease_until > now() AS busy
           FROM ${source.schema}.sync_state WHERE resource = ANY($1) ORDER BY resource FOR UPDATE`,
        [resources, owner],
      );
      if (rows.some((row) => row.busy)) return false;
      await tx.query(
        `UPDATE ${source.schema}.sync_state
            SET lease_owner = $2, lease_until = now() + $3 * interval '1 millisecond',
                last_run_started_at = now(), last_run_items = 0
          WHERE resource = ANY($1)`,
        [resources, owner, leaseMs],
      );
      return true;
    });
  }

  /** Extends the lease; false when it was lost (expired and taken, or released). */
  async renew(source: SourceDefinition, owner: string, leaseMs: number): Promise<boolean> {
    const [, renewed] = await this.transactions.manager().query<[unknown, number]>(
      `UPDATE ${source.schema}.sync_state SET lease_until = now() + $2 * interval '1 millisecond'
        WHERE lease_owner = $1 AND lease_until > now()`,
      [owner, leaseMs],
    );
    return renewed === source.resources.length;
  }

  async release(source: SourceDefinition, owner: string): Promise<void> {
    await this.transactions.manager().query(
      `UPDATE ${source.schema}.sync_state
          SET lease_owner = NULL, lease_until = NULL, last_run_finished_at = now()
        WHERE lease_owner = $1`,
      [owner],
    );
  }
}
