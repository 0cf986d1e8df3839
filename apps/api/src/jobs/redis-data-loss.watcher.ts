import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { REDIS } from '../redis/redis.module.js';
import { JOBS_SETTINGS, type JobsSettings } from './jobs-settings.js';

/** Returns the marker's value, setting it to ARGV[1] first when Redis holds none (atomically). */
const READ_OR_CREATE = `
local current = redis.call('GET', KEYS[1])
if current then return current end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]`;

export type RedisDataLossListener = () => void;

/**
 * Notices a Redis that lost its data, whether it restarted empty (the connection drops and comes
 * back) or was emptied under open connections (FLUSHALL, a failover to an empty replica behind a
 * proxy). Redis holds one marker key per BullMQ prefix whose value (an epoch) is set by whichever
 * process first finds it missing; every process remembers the epoch it saw, so each of them sees
 * a different value, or creates one, after the loss. Checked every `dataLossCheckMs` and at once
 * when the connection is ready after a close. Listeners (schedule registration, re-queueing of
 * handed-off outbox rows) must be idempotent: an evicted marker or a second process reports the
 * same loss again.
 */
@Injectable()
export class RedisDataLossWatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RedisDataLoss');
  private readonly stop = new AbortController();
  private readonly listeners: RedisDataLossListener[] = [];
  private readonly key: string;
  /** The epoch this process last saw; undefined until the first check that reached Redis. */
  private epoch?: string;
  private connectionLost = false;
  private checking: Promise<void> = Promise.resolve();
  private loop?: Promise<void>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(JOBS_SETTINGS) private readonly settings: JobsSettings,
  ) {
    this.key = `${settings.prefix}:alive`;
  }

  /** `listener` runs each time a loss is noticed; it starts its own (background) work. */
  onDataLost(listener: RedisDataLossListener): void {
    this.listeners.push(listener);
  }

  onApplicationBootstrap(): void {
    this.redis.on('close', this.onClose);
    this.redis.on('ready', this.onReady);
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.redis.off('close', this.onClose);
    this.redis.off('ready', this.onReady);
    this.stop.abort();
    await this.loop;
    await this.checking;
  }

  /** Checks the marker now (one check at a time); resolves once this check is done. */
  checkNow(): Promise<void> {
    this.checking = this.checking.then(() => this.check());
    return this.checking;
  }

  private readonly onClose = (): void => {
    this.connectionLost = true;
  };

  /** A reconnect is when an emptied Redis is most likely: no need to wait for the next tick. */
  private readonly onReady = (): void => {
    if (!this.connectionLost) return;
    this.connectionLost = false;
    this.checking = this.checking.then(() => this.check());
  };

  private async run(): Promise<void> {
    while (!this.stop.signal.aborted) {
      await this.checkNow();
      await sleep(this.settings.dataLossCheckMs, undefined, { signal: this.stop.signal }).catch(
        () => undefined,
      );
    }
  }

  private async check(): Promise<void> {
    if (this.stop.signal.aborted || this.redis.status !== 'ready') return;
    const candidate = `${Date.now()}-${randomUUID()}`;
    let epoch: string;
    try {
      epoch = (await this.redis.eval(READ_OR_CREATE, 1, this.key, candidate)) as string;
    } catch {
      return; // Redis is unreachable: the connection's close/ready pair triggers the next check.
    }
    const previous = this.epoch;
    this.epoch = epoch;
    // The first check counts only when it created the marker: Redis is new or was emptied while
    // this process was down, and jobs handed to it before may be gone.
    const lost = previous === undefined ? epoch === candidate : epoch !== previous;
    if (!lost) return;
    this.logger.warn(
      previous === undefined
        ? `redis holds no ${this.key} marker: new or emptied, recovering what it may have lost`
        : `redis lost its data (${this.key} marker gone or replaced): recovering schedules and queued outbox jobs`,
    );
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.logger.error(`redis data loss listener failed: ${(error as Error).message}`);
      }
    }
  }
}
