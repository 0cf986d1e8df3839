import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';

/**
 * A Redis client for the Socket.IO Redis adapter. The adapter publishes and subscribes without
 * awaiting the results, so a failing command (one sent after the client was closed at shutdown,
 * say) would be an unhandled rejection and crash the process: every command is marked handled here.
 * Callers that await a command still see its error.
 */
class AdapterRedisClient extends Redis {
  override sendCommand(...args: Parameters<Redis['sendCommand']>): unknown {
    args[0].promise.catch(() => undefined);
    return super.sendCommand(...args);
  }
}

/**
 * Connects in the background and never blocks the boot. While Redis is down it keeps reconnecting
 * and queues commands instead of failing them (the adapter's subscriptions go out once connected,
 * and are renewed after a reconnect). Logs once per outage.
 */
export function createAdapterRedisClient(url: string, name: string): Redis {
  const logger = new Logger('Realtime');
  const client = new AdapterRedisClient(url, {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
    // The publisher's commands of one tick (a relay batch's broadcasts and their PINGs) go out in
    // one write, in order; a subscriber connection cannot pipeline.
    enableAutoPipelining: name === 'pub',
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(`realtime redis ${name} client is down: ${error.message}`);
  });
  client.on('ready', () => {
    if (down) logger.log(`realtime redis ${name} client is back`);
    down = false;
  });
  client.connect().catch(() => undefined);
  return client;
}
