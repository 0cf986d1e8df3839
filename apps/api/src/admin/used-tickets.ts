import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../redis/redis.module.js';

const KEY_PREFIX = 'mas:queue-dashboard:used-ticket:';
/** Kept past the ticket's expiry, so an instance whose clock runs behind still sees it used. */
const CLOCK_SKEW_MARGIN_MS = 60_000;

/** Remembers redeemed dashboard tickets in Redis, so each is accepted once across all instances. */
@Injectable()
export class UsedTickets {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** True the first time `id` is claimed. Rejects while Redis is down. */
  async claim(id: string, expiresAt: Date): Promise<boolean> {
    const keepMs = Math.max(expiresAt.getTime() - Date.now(), 0) + CLOCK_SKEW_MARGIN_MS;
    const reply = await this.redis.set(KEY_PREFIX + id, '1', 'PX', keepMs, 'NX');
    return reply === 'OK';
  }
}
