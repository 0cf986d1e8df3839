import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '@mas/identity';
import { DatabaseHealthIndicator } from './database.health.js';
import { MigrationsHealthIndicator } from './migrations.health.js';
import { RedisHealthIndicator } from './redis.health.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly migrations: MigrationsHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Database, Redis (degraded when down) and pending migrations' })
  check() {
    return this.health.check([
      () => this.database.check(),
      () => this.redis.check(),
      () => this.migrations.check(),
    ]);
  }

  @Get('live')
  @ApiOperation({ summary: '200 while the process runs' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: '200 only when the database answers and no migration is pending' })
  ready() {
    return this.health.check([
      () => this.database.check(),
      () => this.migrations.check(),
    ]);
  }
}
