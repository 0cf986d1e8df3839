import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppModuleOptions } from './app.module.js';

/**
 * An APP_ROLE=worker process: the application without HTTP. Its queue workers, schedules and the
 * worker health server (WORKER_HEALTH_PORT: /health, /health/live, /metrics) start on init.
 */
export async function createWorkerApp(options: AppModuleOptions): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(options), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  await app.init();
  return app;
}
