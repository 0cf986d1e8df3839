import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DATABASE_CONFIG, type DatabaseConfig, ReplicaReads } from '@mas/persistence';
import { Redis } from 'ioredis';
import { REDIS, RedisModule } from '../redis/redis.module.js';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor.js';
import { RedisWritePositions } from './redis-write-positions.js';

/** Read-your-writes across instances: write positions in Redis, recorded after each write. */
@Module({
  imports: [RedisModule],
  providers: [{ provide: APP_INTERCEPTOR, useClass: ReadYourWritesInterceptor }],
})
export class ReplicasModule implements OnModuleInit {
  constructor(
    private readonly reads: ReplicaReads,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DATABASE_CONFIG) private readonly config: DatabaseConfig,
  ) {}

  onModuleInit(): void {
    if (!this.reads.enabled) return;
    this.reads.useWritePositions(
      new RedisWritePositions(this.redis, this.config.replicas.writePositionTtlMs),
    );
  }
}
