import { errorDetail, InvalidInputError } from '@mas/domain-errors';
import { isUuid } from '../validation/uuid.js';

/** The position after which the next page starts: the sort value and the id of the last row seen. */
export interface KeysetPosition {
  at: Date;
  id: string;
}

/** Cursors are opaque to clients: base64url of the position. */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.at.toISOString(), position.id])).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2) {
      const [at, id] = decoded as unknown[];
      const date = typeof at === 'string' ? new Date(at) : null;
      if (date && !Number.isNaN(date.getTime()) && isUuid(id)) {
        return { at: date, id };
      }
    }
  } catch {
    // fall through to the refusal below
  }
  throw new InvalidInputError('cursor is invalid', [
    errorDetail('is not a cursor this API issued', 'cursor'),
  ]);
}
