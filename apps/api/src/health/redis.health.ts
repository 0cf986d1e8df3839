import { withTimeout } from '@mas/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Redis } from 'ioredis';
import { REDIS } from '../redis/redis.module.js';
import { publicReason } from './public-reason.js';

/** Redis is not required to serve: when it is down the check is "degraded", not an error. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async check(key = 'redis') {
    const indicator = this.health.check(key);
    try {
      await withTimeout(this.redis.ping(), 1000);
      return indicator.up();
    } catch (error) {
      return indicator.degraded({ message: publicReason('redis', error) });
    }
  }
}
