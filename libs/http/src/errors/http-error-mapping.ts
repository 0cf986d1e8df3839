import { HttpStatus } from '@nestjs/common';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import type { ErrorDetail } from '@mas/domain-errors';
import { PgCode, type PostgresErrorInfo } from '@mas/persistence';
import { constraintViolationDetails } from './postgres-error-details.js';

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
/** What the driver says when the server went away, or a connection it handed out is unusable. */
const CONNECTION_LOST_MESSAGES = new Set([
  'Connection terminated due to connection timeout',
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
]);
/** Socket errors of a dependency that cannot be reached (Postgres or Redis). */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
/**
 * SQLSTATEs of a server that is going away or not there yet: terminated by a shutdown or crash
 * (57P01, 57P02), refusing connections while it starts, stops or recovers (57P03), and every
 * connection exception (class 08).
 */
const SERVER_UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03']);
const TOO_MANY_CONNECTIONS = '53300';

const BUSY: MappedError = {
  status: HttpStatus.SERVICE_UNAVAILABLE,
  message: 'the server is busy, retry later',
  retryAfterSeconds: 1,
};
const UNAVAILABLE: MappedError = {
  status: HttpStatus.SERVICE_UNAVAILABLE,
  message: 'a service the server depends on is unavailable, retry later',
  retryAfterSeconds: 5,
};

/**
 * Overload and unreachable dependencies are a retryable 503, never a 500: a request that cannot get
 * a pooled connection in time is shed at once instead of queueing, and a database that stopped,
 * crashed or is starting answers 503 until the pool has reconnected. That includes a transaction
 * whose connection died under it: TypeORM releases the query runner on the connection's error, so
 * the transaction's next query (QueryRunnerProviderAlreadyReleasedError) or its COMMIT
 * (QueryRunnerAlreadyReleasedError) fails unsent and nothing was written. The message stays
 * generic; the driver's text may name hosts and ports. The error may come bare (a socket or pool
 * error), wrapped by TypeORM (`driverError`), as a `cause`, or as one of an AggregateError's
 * attempts.
 */
export function mapUnavailableDependency(error: unknown): MappedError | null {
  for (const candidate of causesOf(error)) {
    // Duck-typed: socket errors come from Node's own realm, where `instanceof Error` can fail.
    const { message, code } = candidate as { message?: unknown; code?: unknown };
    if (message === POOL_ACQUIRE_TIMEOUT || code === TOO_MANY_CONNECTIONS) return BUSY;
    if (
      candidate instanceof QueryRunnerAlreadyReleasedError ||
      candidate instanceof QueryRunnerProviderAlreadyReleasedError
    )
      return UNAVAILABLE;
    if (typeof message === 'string' && CONNECTION_LOST_MESSAGES.has(message)) return UNAVAILABLE;
    if (typeof code !== 'string') continue;
    if (UNREACHABLE_CODES.has(code) || SERVER_UNAVAILABLE_STATES.has(code)) return UNAVAILABLE;
    if (/^08[0-9A-Z]{3}$/.test(code)) return UNAVAILABLE;
  }
  return null;
}

/** The error and what it wraps, a few levels deep. */
function causesOf(error: unknown, depth = 0): object[] {
  if (typeof error !== 'object' || error === null || depth > 3) return [];
  const { driverError, cause, errors } = error as {
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  const nested = [driverError, cause, ...(Array.isArray(errors) ? (errors as unknown[]) : [])];
  return [error, ...nested.flatMap((inner) => causesOf(inner, depth + 1))];
}
