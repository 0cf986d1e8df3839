import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RedisModule } from '../redis/redis.module.js';
import { BackupsHealthIndicator } from './backups.health.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { Draining } from './draining.js';
import { HealthController } from './health.controller.js';
import { MigrationsHealthIndicator } from './migrations.health.js';
import { RedisHealthIndicator } from './redis.health.js';
import { ReplicasHealthIndicator } from './replicas.health.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), RedisModule],
  controllers: [HealthController],
  providers: [
    DatabaseHealthIndicator,
    RedisHealthIndicator,
    ReplicasHealthIndicator,
    MigrationsHealthIndicator,
    BackupsHealthIndicator,
    Draining,
  ],
  exports: [Draining],
})
export class HealthModule {}
