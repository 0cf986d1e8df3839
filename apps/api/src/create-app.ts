import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import { AppModule, type AppModuleOptions } from './app.module.js';
import { configureApp } from './configure-app.js';
import { applyHttpServerLimits } from './http/http-server-limits.js';

/** The configured API application, booted (database migrated, seeds run) but not listening. */
export async function createApiApp(options: AppModuleOptions): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(options), {
    bufferLogs: true,
    abortOnError: false,
    // configureApp registers the body parsers itself, inside the input boundary.
    bodyParser: false,
  });
  configureApp(app);
  applyHttpServerLimits(app.getHttpServer() as Server, options.config.http);
  await app.init();
  return app;
}
