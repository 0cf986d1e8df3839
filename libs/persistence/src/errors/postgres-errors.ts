import { QueryFailedError } from 'typeorm';

/** SQLSTATE codes this codebase reacts to. */
export const PgCode = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  notNullViolation: '23502',
  checkViolation: '23514',
  exclusionViolation: '23P01',
  invalidTextRepresentation: '22P02',
  numericOutOfRange: '22003',
  stringTooLong: '22001',
  invalidDatetime: '22007',
  datetimeOutOfRange: '22008',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
  queryCanceled: '57014',
  raiseException: 'P0001',
} as const;

export interface PostgresErrorInfo {
  code: string;
  constraint?: string;
  detail?: string;
  table?: string;
  column?: string;
}

/** The driver error behind a TypeORM QueryFailedError, or null for anything else. */
export function postgresErrorOf(error: unknown): PostgresErrorInfo | null {
  if (!(error instanceof QueryFailedError)) return null;
  const driverError = error.driverError as Partial<PostgresErrorInfo> | undefined;
  if (!driverError || typeof driverError.code !== 'string') return null;
  return {
    code: driverError.code,
    constraint: driverError.constraint,
    detail: driverError.detail,
    table: driverError.table,
    column: driverError.column,
  };
}

export function isRetryableTransactionError(error: unknown): boolean {
  const code = postgresErrorOf(error)?.code;
  return code === PgCode.serializationFailure || code === PgCode.deadlockDetected;
}
