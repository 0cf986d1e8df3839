import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@mas/identity';
import { MetricsRegistry } from './metrics.registry.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';

/** Not behind the user JWT: Prometheus authenticates with METRICS_TOKEN instead. */
@ApiTags('metrics')
@ApiBearerAuth()
@Public()
@UseGuards(MetricsTokenGuard)
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics: HTTP latency, DB pool, queue depths, outbox backlog',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition format 0.0.4',
    schema: { type: 'string' },
  })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and was not sent as bearer token' })
  @ApiNotFoundResponse({ description: 'production without METRICS_TOKEN: metrics are off' })
  async scrape(@Res() response: Response): Promise<void> {
    const body = await this.metrics.render();
    response.setHeader('Content-Type', this.metrics.contentType);
    response.send(body);
  }
}
