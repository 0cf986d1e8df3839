import { HttpStatus } from '@nestjs/common';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RetryLaterError,
  RuleViolationError,
  ServerBusyError,
  TooManyRequestsError,
  UnauthenticatedError,
} from '@mas/domain-errors';
import { errorDetailsOf } from './http-error-details.js';
import type { MappedError } from './http-error-mapping.js';

type DomainErrorClass = abstract new (...args: never[]) => DomainError;

/** The status of each kind of refusal (API.md). */
const STATUS_OF: readonly (readonly [DomainErrorClass, HttpStatus])[] = [
  [InvalidInputError, HttpStatus.BAD_REQUEST],
  [UnauthenticatedError, HttpStatus.UNAUTHORIZED],
  [ForbiddenError, HttpStatus.FORBIDDEN],
  [NotFoundError, HttpStatus.NOT_FOUND],
  [ConflictError, HttpStatus.CONFLICT],
  [RuleViolationError, HttpStatus.UNPROCESSABLE_ENTITY],
  [TooManyRequestsError, HttpStatus.TOO_MANY_REQUESTS],
  [ServerBusyError, HttpStatus.SERVICE_UNAVAILABLE],
];

/**
 * How a lib's refusal reaches a client: the status its class stands for, its message and details
 * as thrown, and `Retry-After` for one to retry later. Null for anything else, a DomainError of no
 * kind above included (a bare PermanentError is the server's failure, a 500).
 */
export function mapDomainError(error: unknown): MappedError | null {
  if (!(error instanceof DomainError)) return null;
  const status = STATUS_OF.find(([kind]) => error instanceof kind)?.[1];
  if (status === undefined) return null;
  return {
    status,
    message: error.message,
    details: errorDetailsOf(error.details),
    retryAfterSeconds: error instanceof RetryLaterError ? error.retryAfterSeconds : undefined,
  };
}
