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
import { CoalescedWrite } from './coalesced-write.js';
import { OutboxListener, listenerClientConfig } from './outbox-listener.js';
import { OutboxChannel, OutboxMessage } from './outbox-message.entity.js';
import { notifyRelays } from './outbox-notify.js';
import { UnannouncedWriters } from './unannounced-writers.js';
import { WakeUp } from './wake-up.js';

export type OutboxDispatcher = (message: OutboxMessage) => Promise<void>;

export interface OutboxDispatcherOptions {
  /**
   * The dispatcher only hands the message to a queue: the row becomes `handed_off`, and the job's
   * consumer marks it done through OutboxCompletion (the reconciler re-queues it if that never
   * happens). Without it the row is done as soon as the dispatcher returns.
   */
  consumerCompletes?: boolean;
}

interface ClaimedRow {
  id: string;
  channel: OutboxChannel;
  topic: string;
  payload: Record<string, unknown>;
  audience: string[];
  attempts: number;
  run_at: Date | null;
  created_at: Date;
}

/** How long a claimed message is reserved for the instance that claimed it. */
const LEASE_SECONDS = 30;
/** At shutdown, how long dispatches in flight may finish before their leases are given back. */
const STOP_WAIT_MS = 5_000;
/** A retry is claimed this long after it is due by our clock, in case the database's runs behind. */
const RETRY_MARGIN_MS = 20;
/**
 * Which of the claimed rows ($1) an update applies to: those still pending. Joined row by row
 * through the primary key: `id = ANY($1) AND status = 'pending'` is planned as a bitmap AND with
 * the due index, which reads every dead entry of that index on each call until VACUUM.
 */
const STILL_PENDING = `FROM unnest($1::uuid[]) AS claimed (id) WHERE message.id = claimed.id AND message.status = 'pending'`;

/**
 * Dispatches committed outbox rows. Each instance claims due rows with `FOR UPDATE SKIP LOCKED` and
 * pushes their next attempt past a lease, so instances never dispatch the same row concurrently; a
 * dispatched row is marked done (or handed off, for channels whose consumer completes it), a failed
 * one is retried with exponential backoff and marked failed after the last attempt. Only channels
 * with a registered dispatcher in this process are claimed. Every update after the claim applies to
 * a row still pending only: a fast consumer may already have finished it.
 *
 * The relay sleeps until a commit wakes it: OutboxService notifies in the transaction that writes
 * the rows, and each relay LISTENs on a dedicated connection (OutboxListener). Polling remains as a
 * safety net: every `fallbackPollMs` while the listener is up, every `pollMs` while it is down (or
 * LISTEN is disabled), and at the due time of a retry this instance scheduled. While drains keep
 * finding rows it polls every `busyPollMs` instead of listening (see `rest`). Writers notify only
 * while some relay listens; those in flight when a listener registers may not have, and the relay
 * polls until they have ended (UnannouncedWriters).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private readonly dispatchers = new Map<OutboxChannel, OutboxDispatcher>();
  private readonly completedByConsumer = new Set<OutboxChannel>();
  private running = false;
  private loop?: Promise<void>;
  private stopping?: Promise<void>;
  /** Claimed by this instance and not yet finished. */
  private readonly inFlight = new Set<string>();
  private readonly wakeUp = new WakeUp();
  private listener?: OutboxListener;
  private readonly unannounced: UnannouncedWriters;
  /** When rows this instance failed become due again (epoch ms), to claim them on time. */
  private retriesDueAt: number[] = [];
  private readonly handOffs = new CoalescedWrite((ids) =>
    this.dataSource.query(
      `UPDATE outbox_messages message SET status = 'handed_off', handed_off_at = now(), last_error = NULL
         ${STILL_PENDING}`,
      [ids],
    ),
  );

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DATABASE_CONFIG) private readonly config: DatabaseConfig,
  ) {
    this.unannounced = new UnannouncedWriters(dataSource, config.outbox.busyPollMs);
  }

  register(
    channel: OutboxChannel,
    dispatcher: OutboxDispatcher,
    options: OutboxDispatcherOptions = {},
  ): void {
    this.dispatchers.set(channel, dispatcher);
    if (options.consumerCompletes) this.completedByConsumer.add(channel);
    else this.completedByConsumer.delete(channel);
  }

  onApplicationBootstrap(): void {
    if (!this.config.outbox.relayEnabled) return;
    this.running = true;
    if (this.config.outbox.listen) {
      this.listener = new OutboxListener(
        listenerClientConfig(this.dataSource.options, this.config),
        {
          wake: () => this.wakeUp.wake(),
          registered: (writers) => this.unannounced.watch(writers),
        },
        this.logger,
      );
      this.listener.start();
    }
    this.loop = this.run();
  }

  /** Before any shutdown hook, so the data source (closed in one) outlives the loop. */
  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /**
   * Claims nothing more, lets the dispatches in flight finish (for at most STOP_WAIT_MS), then gives
   * back the leases of any still unfinished, so another instance takes those rows at once instead
   * of after the lease. Idempotent: a shutdown step that must follow the relay awaits it too.
   */
  stop(waitMs = STOP_WAIT_MS): Promise<void> {
    this.stopping ??= this.stopAndRelease(waitMs);
    return this.stopping;
  }

  private async stopAndRelease(waitMs: number): Promise<void> {
    this.running = false;
    this.wakeUp.wake();
    await this.listener?.close();
    if (this.loop) await Promise.race([this.loop, sleep(waitMs, undefined, { ref: false })]);
    if (!this.inFlight.size) return;
    const released = [...this.inFlight];
    await this.dataSource
      .query(
        `UPDATE outbox_messages message SET next_attempt_at = now(), attempts = greatest(attempts - 1, 0)
           ${STILL_PENDING}`,
        [released],
      )
      .then(() => notifyRelays(this.dataSource))
      .then(
        () => this.logger.warn(`stopped with ${released.length} dispatches unfinished: released`),
        (error: unknown) =>
          this.logger.warn(
            `could not release ${released.length} leases: ${(error as Error).message}`,
          ),
      );
  }

  /** Dispatches one batch of due messages; returns how many were claimed. */
  async drainOnce(): Promise<number> {
    const channels = [...this.dispatchers.keys()];
    if (!channels.length) return 0;
    const claimed = await this.claim(channels);
    claimed.forEach((row) => this.inFlight.add(row.id));
    try {
      const delivered = await Promise.all(claimed.map((row) => this.dispatch(row)));
      await this.markDispatched(claimed.filter((_, index) => delivered[index]));
    } finally {
      claimed.forEach((row) => this.inFlight.delete(row.id));
    }
    return claimed.length;
  }

  /** One statement for the batch's delivered rows. A row no longer pending is left as it is. */
  private async markDispatched(rows: ClaimedRow[]): Promise<void> {
    if (!rows.length) return;
    await this.dataSource.query(
      `UPDATE outbox_messages message SET status = 'dispatched', dispatched_at = now(), last_error = NULL
         ${STILL_PENDING}`,
      [rows.map((row) => row.id)],
    );
  }

  private async run(): Promise<void> {
    while (this.running) {
      const startedAt = Date.now();
      const claimed = await this.unannounced
        .forgetEnded()
        .then(() => this.drainOnce())
        .catch((error: unknown) => {
          this.logger.warn(`outbox relay: ${(error as Error).message}`);
          return 0;
        });
      // A retry due before this drain began was claimed by it (or by another instance).
      this.retriesDueAt = this.retriesDueAt.filter((dueAt) => dueAt > startedAt);
      if (claimed < this.config.outbox.batchSize && this.running) await this.rest(claimed);
    }
  }

  /**
   * Between two drains. While drains find rows, the relay does not listen and polls every
   * `busyPollMs`: every notifying commit would wait for a database-wide lock held until the commit
   * before it is flushed, and would wake the listener's session. While no relay listens, writers
   * do not notify. Once a drain finds nothing, the relay listens again and drains once more at
   * once, which claims whatever committed while it did not listen; only then does it sleep until a
   * notification (or the end of the writers that were in flight when it listened again).
   */
  private async rest(claimed: number): Promise<void> {
    const listener = this.listener;
    if (listener && claimed > 0) {
      await listener.pause();
      return this.wakeUp.sleep(Math.min(this.config.outbox.busyPollMs, this.idleMs()));
    }
    if (listener?.paused) return listener.resume();
    return this.wakeUp.sleep(this.idleMs());
  }

  /** How long to sleep when no notification comes. */
  private idleMs(): number {
    const { pollMs, fallbackPollMs } = this.config.outbox;
    const interval = this.listener?.healthy ? fallbackPollMs : pollMs;
    const nextRetryIn = this.retriesDueAt.reduce((a, b) => Math.min(a, b), Infinity) - Date.now();
    return Math.max(0, Math.min(interval, nextRetryIn, this.unannounced.nextCheckInMs()));
  }

  /** Oldest due first; each claimed row's lease pushes its next attempt past now. */
  private claim(channels: OutboxChannel[]): Promise<ClaimedRow[]> {
    return this.dataSource.query<ClaimedRow[]>(
      `SELECT id, channel, topic, payload, audience, attempts, run_at, created_at
         FROM outbox_claim($1::outbox_channel[], $2, $3)`,
      [channels, this.config.outbox.batchSize, LEASE_SECONDS],
    );
  }

  /**
   * Sends one row; true when delivered and left for the batch to mark dispatched. A hand-off and a
   * failure (retry with backoff, or failed) are recorded here.
   */
  private async dispatch(row: ClaimedRow): Promise<boolean> {
    const message = this.dataSource.manager.create(OutboxMessage, {
      id: row.id,
      channel: row.channel,
      topic: row.topic,
      payload: row.payload,
      audience: row.audience,
      attempts: row.attempts,
      runAt: row.run_at,
      createdAt: row.created_at,
    });
    try {
      await this.dispatchers.get(row.channel)!(message);
      if (!this.completedByConsumer.has(row.channel)) return true;
      // As soon as it is handed off, not with the batch: a Redis that loses its data re-queues
      // the rows handed off by then, and a row marked later, behind a slow sibling, would wait
      // for the timeout. Hand-offs that finish together still share one statement.
      await this.handOffs.add(row.id);
      return false;
    } catch (error) {
      const failed = row.attempts >= this.config.outbox.maxAttempts;
      await this.dataSource.query(
        `UPDATE outbox_messages SET last_error = $2, status = $3,
                next_attempt_at = now() + make_interval(secs => least(300, power(2, attempts)::int))
          WHERE id = $1 AND status = 'pending'`,
        [row.id, (error as Error).message.slice(0, 2000), failed ? 'failed' : 'pending'],
      );
      if (failed)
        this.logger.error(
          `outbox message ${row.id} (${row.topic}) failed after ${row.attempts} attempts`,
        );
      // The backoff the statement above set, from a clock reading no earlier than the database's.
      else
        this.retriesDueAt.push(
          Date.now() + Math.min(300, 2 ** row.attempts) * 1000 + RETRY_MARGIN_MS,
        );
      return false;
    }
  }
}
