import { HttpStatus } from '@nestjs/common';
import { ErrorDetail } from './error-detail.js';
import { constraintViolationDetails } from './postgres-error-details.js';
import { PgCode, PostgresErrorInfo } from './postgres-errors.js';

export interface MappedError {
  status: HttpStatus;
  message: string;
  details?: ErrorDetail[];
  retryAfterSeconds?: number;
}

/**
 * How a database error reaches a client (API.md): duplicates and overlaps are conflicts, broken
 * rules are 422, malformed values 400, and contention a retryable 503. Anything else is a 500.
 */
export function mapPostgresError(error: PostgresErrorInfo): MappedError | null {
  const details = constraintViolationDetails(error);
  switch (error.code) {
    case PgCode.uniqueViolation:
      return {
        status: HttpStatus.CONFLICT,
        message: 'a record with the same values already exists',
        details,
      };
    case PgCode.exclusionViolation:
      return {
        status: HttpStatus.CONFLICT,
        message: 'the record overlaps an existing one',
        details,
      };
    case PgCode.foreignKeyViolation:
      return error.detail?.includes('is still referenced')
        ? {
            status: HttpStatus.CONFLICT,
            message: 'the record is still referenced by other records',
            details,
          }
        : {
            status: HttpStatus.UNPROCESSABLE_ENTITY,
            message: 'a referenced record does not exist',
            details,
          };
    case PgCode.checkViolation:
    case PgCode.notNullViolation:
    case PgCode.raiseException:
      return {
        status: HttpStatus.UNPROCESSABLE_ENTITY,
        message: 'the change violates a data rule',
        details,
      };
    case PgCode.invalidTextRepresentation:
    case PgCode.numericOutOfRange:
    case PgCode.stringTooLong:
    case PgCode.invalidDatetime:
    case PgCode.datetimeOutOfRange:
      return {
        status: HttpStatus.BAD_REQUEST,
        message: 'a value has the wrong format or is out of range',
      };
    case PgCode.serializationFailure:
    case PgCode.deadlockDetected:
    case PgCode.lockNotAvailable:
    case PgCode.queryCanceled:
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        message: 'the database is busy, retry later',
        retryAfterSeconds: 1,
      };
    default:
      return null;
  }
}

/** What pg-pool rejects with when no connection frees up within `connectionTimeoutMillis`. */
const POOL_ACQUIRE_TIMEOUT = 'timeout exceeded when trying to connect';
/** What pg-pool rejects with when opening a new connection outlasts the same timer. */
const CONNECT_TIMEOUT = 'Connection terminated due to connection timeout';
/** Socket errors of a dependency that cannot be reached (Postgres or Redis). */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Overload and unreachable dependencies are a retryable 503, never a 500: a request that cannot get
 * a pooled connection in time is shed at once instead of queueing. The message stays generic; the
 * driver's text may name hosts and ports.
 */
export function mapUnavailableDependency(error: unknown): MappedError | null {
  // Duck-typed: socket errors come from Node's own realm, where `instanceof Error` can fail.
  if (typeof error !== 'object' || error === null) return null;
  const { message, code } = error as { message?: unknown; code?: unknown };
  if (message === POOL_ACQUIRE_TIMEOUT) {
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      message: 'the server is busy, retry later',
      retryAfterSeconds: 1,
    };
  }
  if (message === CONNECT_TIMEOUT || (typeof code === 'string' && UNREACHABLE_CODES.has(code))) {
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      message: 'a service the server depends on is unavailable, retry later',
      retryAfterSeconds: 5,
    };
  }
  return null;
}
