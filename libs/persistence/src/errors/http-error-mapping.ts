import { HttpStatus } from '@nestjs/common';
import { PgCode, PostgresErrorInfo } from './postgres-errors.js';

export interface MappedError {
  status: HttpStatus;
  message: string;
  details?: Record<string, unknown>;
  retryAfterSeconds?: number;
}

/**
 * How a database error reaches a client (API.md): duplicates and overlaps are conflicts, broken
 * rules are 422, malformed values 400, and contention a retryable 503. Anything else is a 500.
 */
export function mapPostgresError(error: PostgresErrorInfo): MappedError | null {
  const details = error.constraint ? { constraint: error.constraint } : undefined;
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
