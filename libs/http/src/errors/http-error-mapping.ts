import { HttpStatus } from '@nestjs/common';
import type { ErrorDetail } from '@mas/domain-errors';
import { PgCode, type PostgresErrorInfo, unavailabilityOf } from '@mas/persistence';
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
 * crashed or is starting answers 503 until the pool has reconnected (which errors say so:
 * unavailabilityOf). The message stays generic; the driver's text may name hosts and ports.
 */
export function mapUnavailableDependency(error: unknown): MappedError | null {
  const kind = unavailabilityOf(error);
  if (kind === 'busy') return BUSY;
  return kind === 'unavailable' ? UNAVAILABLE : null;
}
