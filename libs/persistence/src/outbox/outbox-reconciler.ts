import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { type DatabaseConfig } from '../config/database-config.js';
import { DATABASE_CONFIG } from '../persistence.tokens.js';
import { notifyRelays } from './outbox-notify.js';

/** Rows re-queued per statement, so one pass never holds many row locks. */
const BATCH = 500;

/**
 * Returns email and job rows that were handed to Redis but not recorded done within
 * `outbox.handoffTimeoutMs` to pending, so the relay enqueues them again under the same job id:
 * BullMQ ignores the add while the job still exists, and consumers dedupe by outbox id. A row whose
 * job was delayed (`run_at`) counts from its run time. Runs wherever the relay runs; a process
 * that notices Redis lost its data re-queues every handed-off row at once (`requeueAllHandedOff`).
 */
@Injectable()
export class OutboxReconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxReconciler');
  private readonly stop = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DATABASE_CONFIG) private readonly config: DatabaseConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.outbox.relayEnabled) return;
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.loop;
  }

  /** Re-queues the overdue handed-off rows; returns how many. */
  async reconcileOnce(): Promise<number> {
    const total = await this.requeue(this.config.outbox.handoffTimeoutMs / 1000, false);
    if (total > 0) {
      this.logger.warn(
        `re-queued ${total} outbox messages handed off over ${this.config.outbox.handoffTimeoutMs} ms ago without completion`,
      );
    }
    return total;
  }

  /**
   * Redis lost its data: any handed-off row's job may be gone, so every one goes back to pending
   * now, delayed jobs included (the relay adds them again with what is left of their delay).
   * Returns how many.
   */
  async requeueAllHandedOff(): Promise<number> {
    const total = await this.requeue(0, true);
    this.logger.warn(`redis lost its data: re-queued ${total} handed-off outbox messages`);
    return total;
  }

  private async requeue(olderThanSeconds: number, delayedToo: boolean): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.dataSource.query<{ id: string }[]>(
        `UPDATE outbox_messages SET status = 'pending', next_attempt_at = now()
          WHERE id IN (SELECT id FROM outbox_messages
                        WHERE status = 'handed_off'
                          AND handed_off_at <= now() - make_interval(secs => $1)
                          AND ($3 OR run_at IS NULL OR run_at < now() - make_interval(secs => $1))
                        LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING id`,
        [olderThanSeconds, BATCH, delayedToo],
      );
      const count = (rows as unknown as [unknown[], number])[1];
      total += count;
      if (count < BATCH) break;
    }
    if (total > 0) await notifyRelays(this.dataSource);
    return total;
  }

  private async run(): Promise<void> {
    // Half the bound: a lost job is re-queued at most 1.5 bounds after its hand-off.
    const intervalMs = Math.min(30_000, Math.max(50, this.config.outbox.handoffTimeoutMs / 2));
    while (!this.stop.signal.aborted) {
      await sleep(intervalMs, undefined, { signal: this.stop.signal }).catch(() => undefined);
      if (this.stop.signal.aborted) return;
      await this.reconcileOnce().catch((error: unknown) => {
        this.logger.warn(`outbox reconciler: ${(error as Error).message}`);
      });
    }
  }
}
