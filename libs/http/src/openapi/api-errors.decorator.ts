import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponse } from './error-response.js';
import { forEachRoute } from './for-each-route.js';

const DEFAULT_DESCRIPTIONS = {
  400: 'malformed or invalid input; details lists each problem',
  401: 'no valid bearer token',
  403: 'your role may not call this route',
  404: 'does not exist, or is outside your scope',
  409: 'conflicts with existing data or the current state',
  413: 'the body is too large',
  415: 'unsupported content type, charset or encoding',
  422: 'well-formed, but breaks a business rule',
  429: 'too many requests; Retry-After says when to retry',
  503: 'a dependency is down or busy; Retry-After says when to retry',
} as const;

export type ErrorStatus = keyof typeof DEFAULT_DESCRIPTIONS;

const RETRY_AFTER = {
  'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'integer' } },
};

/**
 * Documents the statuses an operation can fail with, all with the shared `ErrorResponse` body:
 * `@ApiErrors(400, 404, [422, 'an admin demoting themselves'])`. On a controller, every route.
 */
export function ApiErrors(
  ...errors: (ErrorStatus | [ErrorStatus, string])[]
): ClassDecorator & MethodDecorator {
  const decorators = errors.map((error) => {
    const [status, description] = Array.isArray(error)
      ? error
      : [error, DEFAULT_DESCRIPTIONS[error]];
    return ApiResponse({
      status,
      description,
      type: ErrorResponse,
      headers: status === 429 || status === 503 ? RETRY_AFTER : undefined,
    });
  });
  return forEachRoute(applyDecorators(...decorators));
}
