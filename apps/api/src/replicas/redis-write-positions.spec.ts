import { randomUUID } from 'node:crypto';
import { parseWalPosition } from '@mas/persistence';
import { Redis } from 'ioredis';
import { RedisWritePositions } from './redis-write-positions.js';

describe('RedisWritePositions (real Redis)', () => {
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  });

  afterAll(() => redis.quit());

  it('shares a caller’s last write between instances and never lowers it', async () => {
    const caller = randomUUID();
    const [one, other] = [
      new RedisWritePositions(redis, 10_000),
      new RedisWritePositions(redis, 10_000),
    ];
    expect(await other.lastOf(caller)).toBeNull();
    await one.record(caller, parseWalPosition('1/A0'));
    expect(await other.lastOf(caller)).toBe(parseWalPosition('1/A0'));
    // Recorded later but written earlier (another instance's slower request): kept out.
    await other.record(caller, parseWalPosition('0/FFFFFFFF'));
    expect(await one.lastOf(caller)).toBe(parseWalPosition('1/A0'));
    await other.record(caller, parseWalPosition('2/0'));
    expect(await one.lastOf(caller)).toBe(parseWalPosition('2/0'));
    expect(await redis.pttl(`mas:last-write:${caller}`)).toBeGreaterThan(9_000);
  });

  it('fails to record or answer while Redis is down (the interceptor logs it; the read goes to the primary)', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => undefined);
    const positions = new RedisWritePositions(down, 10_000);
    const caller = randomUUID();
    await expect(positions.record(caller, parseWalPosition('3/0'))).rejects.toThrow();
    await expect(positions.lastOf(caller)).rejects.toThrow();
    down.disconnect();
  });
});
