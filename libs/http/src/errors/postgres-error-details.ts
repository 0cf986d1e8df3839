import { type ErrorDetail, errorDetail } from '@mas/domain-errors';
import { PgCode, type PostgresErrorInfo } from '@mas/persistence';

/** `Key (user_id, batch_id)=(…)`: the columns only when they are plain names, never the values. */
const KEY_COLUMNS = /^Key \(([a-z_][a-z0-9_]*(?:, [a-z_][a-z0-9_]*)*)\)=/;

/** Columns are the snake_case of the API's camelCase fields (the naming strategy). */
function fieldOf(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function keyFields(error: PostgresErrorInfo): string[] {
  const match = KEY_COLUMNS.exec(error.detail ?? '');
  return match ? match[1].split(', ').map(fieldOf) : [];
}

/**
 * The `details` of a constraint violation: the field it is about when Postgres names one column
 * (`{ field: 'email', message: 'is already taken' }`), else the constraint, whose name says what
 * it guards (`{ message: 'violates ck_slots_ends_after_start' }`). Values and SQL never appear.
 */
export function constraintViolationDetails(error: PostgresErrorInfo): ErrorDetail[] | undefined {
  const fields = keyFields(error);
  switch (error.code) {
    case PgCode.uniqueViolation:
      if (fields.length === 1) return [errorDetail('is already taken', fields[0])];
      if (fields.length > 1) {
        return [errorDetail(`the combination of ${fields.join(', ')} is already taken`)];
      }
      break;
    case PgCode.foreignKeyViolation:
      if (fields.length === 1 && !error.detail?.includes('is still referenced')) {
        return [errorDetail('does not refer to an existing record', fields[0])];
      }
      break;
    case PgCode.notNullViolation:
      if (error.column) return [errorDetail('is required', fieldOf(error.column))];
      break;
  }
  return error.constraint ? [errorDetail(`violates ${error.constraint}`)] : undefined;
}
