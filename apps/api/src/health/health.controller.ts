import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '@mas/identity';
import { BackupsHealthIndicator } from './backups.health.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { Draining } from './draining.js';
import { HealthStatusResponse } from './health-status.response.js';
import { MigrationsHealthIndicator } from './migrations.health.js';
import { RedisHealthIndicator } from './redis.health.js';
import { ReplicasHealthIndicator } from './replicas.health.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly migrations: MigrationsHealthIndicator,
    private readonly replicas: ReplicasHealthIndicator,
    private readonly backups: BackupsHealthIndicator,
    private readonly draining: Draining,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({
    summary:
      'Database, Redis (degraded when down), read replicas (degraded when one is down or lags), pending migrations, and the newest verified backup (degraded when too old)',
  })
  @ApiServiceUnavailableResponse({
    description: 'the database is down or a migration is pending',
    type: HealthStatusResponse,
  })
  @ApiOkResponse({ type: HealthStatusResponse })
  check(@Res({ passthrough: true }) response: Response) {
    return this.run(response, [
      () => this.database.check(),
      () => this.redis.check(),
      ...(this.replicas.enabled ? [() => this.replicas.check()] : []),
      () => this.migrations.check(),
      () => this.backups.check(),
    ]);
  }

  @Get('live')
  @ApiOperation({ summary: '200 while the process runs' })
  @ApiOkResponse({ type: HealthStatusResponse })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: '200 only when the database answers, no migration is pending and no shutdown began',
  })
  @ApiServiceUnavailableResponse({ description: 'not ready', type: HealthStatusResponse })
  @ApiOkResponse({ type: HealthStatusResponse })
  async ready(@Res({ passthrough: true }) response: Response) {
    if (this.draining.active) {
      response.status(503);
      return { status: 'shutting_down' };
    }
    return this.run(response, [() => this.database.check(), () => this.migrations.check()]);
  }

  /** A failing check answers 503 with Terminus' own body, not the generic error shape. */
  private async run(
    response: Response,
    checks: HealthIndicatorFunction[],
  ): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
