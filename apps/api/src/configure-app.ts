import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Express } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from './config/app-config.js';
import { APP_CONFIG } from './config/app-config.token.js';
import { closeConnectionsWhileDraining, Draining } from './health/draining.js';
import { corsOptions } from './http/cors.js';
import { applyInputBoundary } from './input-boundary/input-boundary.js';
import { RedisIoAdapter } from './realtime/redis-io.adapter.js';
import { createValidationPipe } from './validation.js';

export const API_PREFIX = 'api';

/** Everything main.ts and the tests set on the application beyond its modules. */
export function configureApp(app: INestApplication): INestApplication {
  const config = app.get<AppConfig>(APP_CONFIG);
  (app.getHttpAdapter().getInstance() as Express).set('trust proxy', config.trustProxy);
  app.use(closeConnectionsWhileDraining(app.get(Draining)));
  // First, so that a preflight is answered before the input boundary or any route sees it.
  app.enableCors(corsOptions(config.corsOrigins));
  applyInputBoundary(app, API_PREFIX, config.inputBoundary);
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX);
  app.use(helmet());
  app.useGlobalPipes(createValidationPipe());
  app.useWebSocketAdapter(new RedisIoAdapter(app));
  // Built at the first request for it, not at boot: scanning every route costs boot time and
  // most instances are never asked for their documentation.
  const document = () =>
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('MAS platform API')
        .setDescription(
          'Mentorship, LMS, CRM, finance and workflow backend. Errors: { statusCode, error, message, details? }.',
        )
        .setVersion('0.1.0')
        .addBearerAuth()
        .build(),
    );
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, {
    jsonDocumentUrl: `${API_PREFIX}/docs-json`,
  });
  return app;
}
