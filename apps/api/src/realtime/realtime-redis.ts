import { withTimeout } from '@mas/persistence';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { createAdapterRedisClient } from './adapter-redis-client.js';

/** The publisher and subscriber connections of the Socket.IO Redis adapter. */
@Injectable()
export class RealtimeRedis implements OnApplicationShutdown {
  readonly pub: Redis;
  readonly sub: Redis;
  /**
   * Prefix of the adapter's channels. Instances that share a database share its outbox, so they
   * must hear each other; deployments (and test files) on other databases must not.
   */
  readonly channelPrefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig, dataSource: DataSource) {
    this.pub = createAdapterRedisClient(config.redisUrl, 'pub');
    this.sub = createAdapterRedisClient(config.redisUrl, 'sub');
    this.channelPrefix = `mas-realtime:${dataSource.driver.database ?? 'default'}`;
  }

  /** Whether a broadcast now reaches the other instances. */
  isReady(): boolean {
    return this.pub.status === 'ready' && this.sub.status === 'ready';
  }

  /**
   * Resolves once Redis has executed everything published so far: replies on one connection come
   * in order, so a PING answered after the adapter's PUBLISH means the PUBLISH went through.
   */
  async confirmPublished(timeoutMs: number): Promise<void> {
    await withTimeout(this.pub.ping(), timeoutMs);
  }

  onApplicationShutdown(): void {
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
