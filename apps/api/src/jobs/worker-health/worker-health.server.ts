import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/app-config.token.js';
import { applyHttpServerLimits } from '../../http/http-server-limits.js';
import { metricsAccess } from '../../metrics/metrics-access.js';
import { WorkerHealthCheck } from './worker-health.check.js';
import {
  WORKER_METRICS_SOURCE,
  type WorkerMetricsSource,
} from '../../metrics/worker-metrics-source.js';

/**
 * The HTTP surface of an APP_ROLE=worker process, which serves no API: `GET /health` (200 or
 * 503 with the checks), `GET /health/live` and `GET /metrics` (METRICS_TOKEN, as for the API) on
 * WORKER_HEALTH_PORT.
 */
@Injectable()
export class WorkerHealthServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WorkerHealth');
  private readonly server: Server = createServer((request, response) => {
    this.respond(request, response).catch((error: unknown) => {
      this.logger.error(`worker health: ${(error as Error).message}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: WorkerHealthCheck,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    applyHttpServerLimits(this.server, this.config.http);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.workerHealthPort, this.config.host, resolve);
    });
    this.logger.log(`worker health at http://localhost:${this.port()}/health`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The port actually bound (WORKER_HEALTH_PORT=0 picks a free one). */
  port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  private async respond(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') return send(response, 405, { message: 'only GET' });
    if (path === '/health/live') return send(response, 200, { status: 'ok' });
    if (path === '/health') {
      const health = await this.health.check();
      return send(response, health.status === 'ok' ? 200 : 503, health);
    }
    const metrics = this.metricsSource();
    const access = metricsAccess(this.config, request.headers.authorization);
    if (path === '/metrics' && metrics && access === 'unauthorized') {
      return send(response, 401, { message: 'a valid metrics token is required' });
    }
    if (path === '/metrics' && metrics && access === 'allowed') {
      response.writeHead(200, { 'Content-Type': metrics.contentType });
      response.end(await metrics.render());
      return;
    }
    send(response, 404, { message: `no route ${path}` });
  }

  private metricsSource(): WorkerMetricsSource | undefined {
    try {
      return this.moduleRef.get<WorkerMetricsSource>(WORKER_METRICS_SOURCE, { strict: false });
    } catch {
      return undefined;
    }
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}
