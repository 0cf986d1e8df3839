import {
  LocalWritePositions,
  parseWalPosition,
  type WalPosition,
  type WritePositions,
} from '@mas/persistence';
import { type Redis } from 'ioredis';

const KEY_PREFIX = 'mas:last-write:';

/**
 * Keeps only the highest position per caller: two writes of one caller recorded out of order by
 * two instances never lower it. Positions are 16 hex digits, so string order is WAL order.
 */
const RECORD_HIGHEST = `
local current = redis.call('GET', KEYS[1])
if current and current >= ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end`;

/**
 * Each caller's last write position in Redis, shared by every instance, kept as long as a replica
 * within the lag bound could still miss it. This instance also remembers its own callers' writes,
 * so a write recorded while Redis was down still holds here.
 */
export class RedisWritePositions implements WritePositions {
  private readonly local: LocalWritePositions;

  constructor(
    private readonly redis: Redis,
    private readonly ttlMs: number,
  ) {
    this.local = new LocalWritePositions(ttlMs);
  }

  async record(callerId: string, position: WalPosition): Promise<void> {
    await this.local.record(callerId, position);
    await this.redis.eval(
      RECORD_HIGHEST,
      1,
      KEY_PREFIX + callerId,
      position.toString(16).padStart(16, '0'),
      this.ttlMs,
    );
  }

  /** Throws when Redis cannot say: the caller's read then goes to the primary. */
  async lastOf(callerId: string): Promise<WalPosition | null> {
    const [shared, own] = await Promise.all([
      this.redis.get(KEY_PREFIX + callerId),
      this.local.lastOf(callerId),
    ]);
    const fromRedis =
      shared === null ? null : parseWalPosition(`${shared.slice(0, 8)}/${shared.slice(8)}`);
    if (fromRedis === null) return own;
    return own === null || fromRedis > own ? fromRedis : own;
  }
}
