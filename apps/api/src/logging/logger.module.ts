import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { type AppConfig } from '../config/app-config.js';
import { formattedDestination } from './log-format.js';
import { redactUrl } from './redact-url.js';

/** Paths pino replaces with "[redacted]" wherever they appear in a log object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.accessToken',
  '*.token',
  '*.authorization',
];

const REQUEST_ID = /^[\w.-]{1,100}$/;

/**
 * Logs with a request id per request (taken from X-Request-Id when sane) and redaction: JSON, or
 * pretty lines for a developer (chooseLogFormat).
 */
export function createLoggerModule(
  config: AppConfig,
  destination: DestinationStream = process.stdout,
) {
  return LoggerModule.forRoot({
    pinoHttp: [
      {
        level: config.logLevel,
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        genReqId: (request: IncomingMessage, response: ServerResponse) => {
          const given = request.headers['x-request-id'];
          const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
          response.setHeader('X-Request-Id', id);
          return id;
        },
        customLogLevel: (_request, response, error) =>
          error || response.statusCode >= 500
            ? 'error'
            : response.statusCode >= 400
              ? 'warn'
              : 'info',
        serializers: {
          // Only what identifies the request: never headers, never bodies, no credential in the URL.
          req: (request: { id: string; method: string; url: string }) => ({
            id: request.id,
            method: request.method,
            url: redactUrl(request.url),
          }),
          res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
        },
      },
      formattedDestination(config, destination),
    ],
  });
}
