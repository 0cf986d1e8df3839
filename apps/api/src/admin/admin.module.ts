import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express } from 'express';
import { QueueRegistry } from '@mas/jobs';
import { RedisModule } from '../redis/redis.module.js';
import { QueueDashboardAccess } from './queue-dashboard-access.js';
import { queueDashboardAuth } from './queue-dashboard-auth.middleware.js';
import { QueueDashboardLinksController } from './queue-dashboard-links.controller.js';
import { QUEUE_DASHBOARD_PATH } from './queue-dashboard-path.js';
import { queueDashboardRouter } from './queue-dashboard.js';
import { UsedTickets } from './used-tickets.js';

/**
 * The queue dashboard (bull-board) at /api/admin/queues, admins only, and the endpoint that issues
 * one-time links to open it in a browser. bull-board is an Express router, so it is mounted on the
 * Express instance: after Nest's routes, before its 404 handler. Nothing is mounted in a process
 * without HTTP (APP_ROLE=worker).
 */
@Module({
  imports: [RedisModule],
  controllers: [QueueDashboardLinksController],
  providers: [QueueDashboardAccess, UsedTickets],
})
export class AdminModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly queues: QueueRegistry,
    private readonly access: QueueDashboardAccess,
  ) {}

  onModuleInit(): void {
    const http = this.adapterHost.httpAdapter;
    if (!http) return;
    const app = http.getInstance<Express>();
    app.use(
      QUEUE_DASHBOARD_PATH,
      queueDashboardAuth(this.access),
      queueDashboardRouter(this.queues.all(), QUEUE_DASHBOARD_PATH),
    );
  }
}
