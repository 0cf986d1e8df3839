import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import { OutboxReconciler } from '@mas/persistence';
import { RedisDataLossWatcher } from './redis-data-loss.watcher.js';

/**
 * Where the outbox dispatchers run: once Redis lost its data, the jobs of handed-off outbox rows
 * may be gone with it, so the rows go back to pending at once rather than after
 * OUTBOX_HANDOFF_TIMEOUT_MS. The relay enqueues them again under their outbox id; BullMQ ignores a
 * job that survived, and consumers send each email once.
 */
@Injectable()
export class HandedOffRequeue implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('HandedOffRequeue');
  private requeueing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly dataLoss: RedisDataLossWatcher,
    private readonly reconciler: OutboxReconciler,
  ) {}

  /** Subscribed before the watcher's first check (at bootstrap). */
  onModuleInit(): void {
    this.dataLoss.onDataLost(() => {
      if (this.stopped) return;
      this.requeueing = this.requeueing.then(() => this.requeue());
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.requeueing;
  }

  private async requeue(): Promise<void> {
    try {
      await this.reconciler.requeueAllHandedOff();
    } catch (error) {
      // The timeout path (OutboxReconciler's own loop) still re-queues them later.
      this.logger.warn(`handed-off outbox rows not re-queued: ${(error as Error).message}`);
    }
  }
}
