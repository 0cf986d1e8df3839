import type { RedisOptions } from 'bullmq';

/** Reconnect forever, but never wait more than 5 s between attempts. */
const reconnect = (attempt: number) => Math.min(attempt * 250, 5000);

/**
 * Producers (API requests, the outbox relay, metrics) must fail fast while Redis is down: no
 * offline queue and one retry, so a call errors instead of waiting for a reconnect.
 */
export function producerConnection(redisUrl: string): RedisOptions {
  return {
    url: redisUrl,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: reconnect,
  };
}

/** Workers block on Redis and must ride out outages: BullMQ requires maxRetriesPerRequest null. */
export function workerConnection(redisUrl: string): RedisOptions {
  return {
    url: redisUrl,
    maxRetriesPerRequest: null,
    connectTimeout: 5000,
    retryStrategy: reconnect,
  };
}
