import { type CounterStore, type WindowCount } from './counter-store.js';
import type { IdentityRedis } from './identity-redis.js';

// A key left without a TTL (it cannot happen through these scripts, but a stray one would block an
// address forever) gets the window again.
const HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }`;

const PEEK = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
return { count, ttl }`;

// DECR keeps the TTL; on a missing key it would create one without a TTL, hence the EXISTS.
const REFUND = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECR', KEYS[1]) end
return 0`;

/** Fixed-window counters in Redis, shared by every API instance; each call is one Lua script. */
export class RedisCounterStore implements CounterStore {
  constructor(
    private readonly redis: IdentityRedis,
    private readonly prefix: string,
  ) {}

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    return windowCount(await this.redis.eval(HIT, 1, this.prefix + key, windowMs));
  }

  async peek(key: string): Promise<WindowCount> {
    return windowCount(await this.redis.eval(PEEK, 1, this.prefix + key));
  }

  async refund(key: string): Promise<void> {
    await this.redis.eval(REFUND, 1, this.prefix + key);
  }
}

function windowCount(reply: unknown): WindowCount {
  const [count, ttl] = reply as [number, number];
  return { count, resetsInMs: Math.max(ttl, 0) };
}
