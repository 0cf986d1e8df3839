import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule, AppModuleOptions } from './app.module.js';
import { configureApp } from './configure-app.js';

/** The configured API application, booted (database migrated, seeds run) but not listening. */
export async function createApiApp(options: AppModuleOptions): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(options), {
    bufferLogs: true,
    abortOnError: false,
    // configureApp registers the body parsers itself, inside the input boundary.
    bodyParser: false,
  });
  configureApp(app);
  await app.init();
  return app;
}
