import { withTimeout } from '@mas/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { RealtimeRedis } from './realtime-redis.js';

/** How long a slot command may take before the caller falls back or gives up. */
const COMMAND_TIMEOUT_MS = 1000;

// Scores are expiry times in Redis's own clock (TIME), so hosts' clocks never disagree about them.
const NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS[1] the user's slots; ARGV: socket id, max, lease ms. 1 when the slot is taken. */
const CLAIM = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/** KEYS[1] the user's slots; ARGV: lease ms, then the socket ids whose lease starts again. */
const RENEW = `${NOW_MS}
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return #ARGV - 1`;

/**
 * The open sockets of each user across every API instance, as one Redis sorted set per user
 * (member: socket id, score: lease expiry). Taking a slot is one atomic script, so concurrent
 * handshakes on different instances can never exceed the cap together. A slot whose instance
 * stopped renewing it (a crash) expires after the lease.
 */
@Injectable()
export class SocketSlots {
  readonly max: number;
  readonly leaseMs: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly redis: RealtimeRedis,
  ) {
    this.max = config.realtime.socketsPerUserMax;
    this.leaseMs = config.realtime.socketSlotLeaseMs;
  }

  /** Whether Redis can count for every instance right now. */
  isAvailable(): boolean {
    return this.redis.isReady();
  }

  /** Takes a slot for the socket; false when the user already holds `max` live ones. */
  async claim(userId: string, socketId: string): Promise<boolean> {
    const taken = await this.run(CLAIM, userId, [socketId, this.max, this.leaseMs]);
    return taken === 1;
  }

  /** Starts the lease of these sockets again (and records them if Redis lost them). */
  async renew(userId: string, socketIds: string[]): Promise<void> {
    await this.run(RENEW, userId, [this.leaseMs, ...socketIds]);
  }

  async release(userId: string, socketId: string): Promise<void> {
    await withTimeout(this.redis.pub.zrem(this.key(userId), socketId), COMMAND_TIMEOUT_MS);
  }

  private run(script: string, userId: string, args: (string | number)[]): Promise<unknown> {
    return withTimeout(
      this.redis.pub.eval(script, 1, this.key(userId), ...args),
      COMMAND_TIMEOUT_MS,
    );
  }

  private key(userId: string): string {
    return `${this.redis.channelPrefix}:socket-slots:${userId}`;
  }
}
