import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TokenService } from '@mas/identity';
import type { Express } from 'express';
import { API_PREFIX } from '../configure-app.js';
import { QueueRegistry } from '../jobs/queue-registry.js';
import { adminOnly } from './admin-auth.middleware.js';
import { queueDashboardRouter } from './queue-dashboard.js';

export const QUEUE_DASHBOARD_PATH = `/${API_PREFIX}/admin/queues`;

/**
 * The queue dashboard (bull-board) at /api/admin/queues, admins only. bull-board is an Express
 * router, so it is mounted on the Express instance: after Nest's routes, before its 404 handler.
 * Nothing is mounted in a process without HTTP (APP_ROLE=worker).
 */
@Module({})
export class AdminModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly queues: QueueRegistry,
    private readonly tokens: TokenService,
  ) {}

  onModuleInit(): void {
    const http = this.adapterHost.httpAdapter;
    if (!http) return;
    const app = http.getInstance<Express>();
    app.use(
      QUEUE_DASHBOARD_PATH,
      adminOnly(this.tokens),
      queueDashboardRouter(this.queues.all(), QUEUE_DASHBOARD_PATH),
    );
  }
}
