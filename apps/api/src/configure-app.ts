import { INestApplication } from '@nestjs/common';
import { MAX_IMPORT_BODY } from '@mas/crm';
import express, { NextFunction, Request, Response } from 'express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { RedisIoAdapter } from './realtime/redis-io.adapter.js';
import { createValidationPipe } from './validation.js';

export const API_PREFIX = 'api';

/** Everything main.ts and the tests set on the application beyond its modules. */
export function configureApp(app: INestApplication): INestApplication {
  // Lead imports may be 10 MB of JSON; other routes keep Nest's 100 kB parser. Keep the wrapper:
  // Nest skips its global JSON parser when it finds a handler named jsonParser.
  const importJson = express.json({ limit: MAX_IMPORT_BODY });
  app.use(
    `/${API_PREFIX}/crm/leads/import`,
    (request: Request, response: Response, next: NextFunction) =>
      importJson(request, response, next),
  );
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX);
  app.use(helmet());
  app.useGlobalPipes(createValidationPipe());
  app.useWebSocketAdapter(new RedisIoAdapter(app));
  const document = SwaggerModule.createDocument(
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
