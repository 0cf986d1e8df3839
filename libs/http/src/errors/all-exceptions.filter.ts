import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { ErrorDetail } from '@mas/domain-errors';
import { postgresErrorOf } from '@mas/persistence';
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';
import { bodyParserFailureOf } from './body-parser-errors.js';
import { mapDomainError } from './domain-error-mapping.js';
import { errorDetailsOf } from './http-error-details.js';
import { mapPostgresError, mapUnavailableDependency } from './http-error-mapping.js';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: ErrorDetail[];
}

/**
 * One error shape for every failure: `{ statusCode, error, message, details? }`, `details` always an
 * array of `{ field?, message }`. Nest's HttpExceptions (controllers, guards, pipes) keep their
 * status; libs' DomainErrors and database errors are mapped per API.md; unknown errors become a
 * 500 whose stack stays in the server log.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const { body, retryAfterSeconds } = this.describe(exception);
    if (retryAfterSeconds) response.setHeader('Retry-After', String(retryAfterSeconds));
    response.status(body.statusCode).json(body);
  }

  private describe(exception: unknown): { body: ErrorBody; retryAfterSeconds?: number } {
    const parserFailure = bodyParserFailureOf(exception);
    if (parserFailure) {
      const { status, message } = parserFailure;
      return { body: { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message } };
    }
    if (exception instanceof HttpException) return { body: bodyOfHttpException(exception) };
    const pgError = postgresErrorOf(exception);
    const mapped =
      mapDomainError(exception) ??
      ((pgError && mapPostgresError(pgError)) || mapUnavailableDependency(exception));
    if (mapped) {
      return {
        body: withoutUndefined({
          statusCode: mapped.status,
          error: STATUS_CODES[mapped.status] ?? 'Error',
          message: mapped.message,
          details: mapped.details,
        }),
        retryAfterSeconds: mapped.retryAfterSeconds,
      };
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const status = HttpStatus.INTERNAL_SERVER_ERROR;
    return {
      body: { statusCode: status, error: STATUS_CODES[status]!, message: 'internal server error' },
    };
  }
}

function bodyOfHttpException(exception: HttpException): ErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const error = STATUS_CODES[status] ?? 'Error';
  if (typeof response === 'string') return { statusCode: status, error, message: response };
  const { message, details } = response as { message?: unknown; details?: unknown };
  return withoutUndefined({
    statusCode: status,
    error,
    message: Array.isArray(message)
      ? message.join('; ')
      : typeof message === 'string'
        ? message
        : error,
    details: errorDetailsOf(details ?? message),
  });
}

function withoutUndefined(body: ErrorBody): ErrorBody {
  return body.details === undefined
    ? { statusCode: body.statusCode, error: body.error, message: body.message }
    : body;
}
