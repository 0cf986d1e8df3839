import { type ErrorDetail, errorDetail } from '@mas/domain-errors';

/**
 * Finds input Postgres or the validators cannot take: NUL characters (text and jsonb refuse them),
 * unpaired UTF-16 surrogates (not encodable as UTF-8) and nesting deeper than a bound (recursive
 * validators and serializers overflow the stack). The walk is iterative, so it cannot overflow
 * itself, whatever the depth.
 */

export interface UnsafeInputOptions {
  maxDepth: number;
  /** Stop after this many problems: a hostile body may have millions. */
  maxProblems?: number;
}

export const NUL_MESSAGE = 'must not contain NUL characters';
export const SURROGATE_MESSAGE = 'must not contain unpaired UTF-16 surrogates';

const NUL = '\u0000';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSAFE_CHARACTER = new RegExp(`\\u0000|${LONE_SURROGATE.source}`, 'g');

/** The problems of one string, or none. */
export function unsafeTextErrors(text: string): string[] {
  const errors: string[] = [];
  if (text.includes(NUL)) errors.push(NUL_MESSAGE);
  if (LONE_SURROGATE.test(text)) errors.push(SURROGATE_MESSAGE);
  return errors;
}

interface Frame {
  value: unknown;
  key: string | undefined;
  parent: Frame | undefined;
  depth: number;
}

/**
 * One `{ field, message }` per problem, the field the dotted path of the offending value as the
 * validation errors name fields (`extraData.a.0`); none for the value itself.
 */
export function findUnsafeInput(value: unknown, options: UnsafeInputOptions): ErrorDetail[] {
  const maxProblems = options.maxProblems ?? 20;
  const problems: ErrorDetail[] = [];
  const report = (frame: Frame, messages: string[]) =>
    problems.push(...messages.map((message) => errorDetail(message, fieldOf(frame))));
  const stack: Frame[] = [{ value, key: undefined, parent: undefined, depth: 0 }];
  while (stack.length > 0 && problems.length < maxProblems) {
    const frame = stack.pop()!;
    if (typeof frame.value === 'string') {
      report(frame, unsafeTextErrors(frame.value));
      continue;
    }
    if (typeof frame.value !== 'object' || frame.value === null) continue;
    const depth = frame.depth + 1;
    if (depth > options.maxDepth) {
      report(frame, [`must not be nested deeper than ${options.maxDepth} levels`]);
      continue;
    }
    for (const [key, child] of Object.entries(frame.value as Record<string, unknown>)) {
      const childFrame = { value: child, key, parent: frame, depth };
      const keyErrors = unsafeTextErrors(key);
      if (keyErrors.length) {
        report(
          childFrame,
          keyErrors.map((error) => `field name ${error}`),
        );
        continue;
      }
      stack.push(childFrame);
    }
  }
  return problems.slice(0, maxProblems);
}

function fieldOf(frame: Frame): string {
  const keys: string[] = [];
  for (let at: Frame | undefined = frame; at?.key !== undefined; at = at.parent) {
    keys.push(printable(at.key));
  }
  return keys.reverse().join('.');
}

/** Field names go back to the client in JSON: show bad characters as escapes, not raw. */
function printable(key: string): string {
  return key.replace(
    UNSAFE_CHARACTER,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
