import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { withTimeout } from '@mas/persistence';
import { IDENTITY_CONFIG, type IdentityConfig } from '../identity.config.js';
import { type CounterStore, type WindowCount } from './counter-store.js';
import { IDENTITY_REDIS, type IdentityRedis } from './identity-redis.js';
import { MemoryCounterStore } from './memory-counter-store.js';
import { RedisCounterStore } from './redis-counter-store.js';

/** A Redis that accepts the connection but does not answer must not hold a login up. */
const REDIS_TIMEOUT_MS = 500;

/**
 * The limiters' counters: in Redis, shared by every instance. While Redis fails or is slow they
 * fail open to per-process counters (each instance then limits on its own, so the limits stay
 * in force, only multiplied by the number of instances); the switch and the recovery are logged
 * once each. A login never fails because of the limiter's storage.
 */
@Injectable()
export class AbuseCounters implements CounterStore {
  private readonly logger = new Logger('AbuseLimits');
  private readonly redis?: RedisCounterStore;
  private readonly memory = new MemoryCounterStore();
  private degraded = false;

  constructor(
    @Inject(IDENTITY_CONFIG) config: IdentityConfig,
    @Optional() @Inject(IDENTITY_REDIS) redis?: IdentityRedis,
  ) {
    if (redis) this.redis = new RedisCounterStore(redis, config.abuse.redisKeyPrefix);
  }

  hit(key: string, windowMs: number): Promise<WindowCount> {
    return this.withFallback((store) => store.hit(key, windowMs));
  }

  peek(key: string): Promise<WindowCount> {
    return this.withFallback((store) => store.peek(key));
  }

  refund(key: string): Promise<void> {
    return this.withFallback((store) => store.refund(key));
  }

  private async withFallback<T>(operation: (store: CounterStore) => Promise<T>): Promise<T> {
    if (!this.redis) return operation(this.memory);
    try {
      const result = await withTimeout(operation(this.redis), REDIS_TIMEOUT_MS);
      if (this.degraded) {
        this.degraded = false;
        this.logger.log('Redis is back: abuse limits are shared across instances again');
      }
      return result;
    } catch (error) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn(
          `Redis unavailable (${(error as Error).message}): abuse limits fall back to per-process counters`,
        );
      }
      return operation(this.memory);
    }
  }
}
