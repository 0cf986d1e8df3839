/**
 * One entry of an error body's `details` (API.md): a problem of the request, with the input it
 * belongs to as a dotted path (`address.city`, a query or path parameter, a header) when it belongs
 * to one, and a sentence fragment saying what is wrong (`must be a UUID`).
 */
export interface ErrorDetail {
  field?: string;
  message: string;
}

/** A `details` entry; an absent or empty field (the problem is not one input's) is left out. */
export function errorDetail(message: string, field?: string): ErrorDetail {
  return field ? { field, message } : { message };
}

/**
 * The response object of an HttpException that carries details:
 * `new ConflictException(withDetails('slot is confirmed; cannot book', [errorDetail(...)]))`.
 */
export function withDetails(
  message: string,
  details: ErrorDetail[],
): { message: string; details: ErrorDetail[] } {
  return { message, details };
}

/**
 * `details` as the error body sends it, from what an exception carried: entries of the shape
 * above pass, bare strings (Nest's own `message` arrays) become `{ message }`, anything else is
 * dropped so the body keeps its contract. Undefined when nothing is left.
 */
export function errorDetailsOf(value: unknown): ErrorDetail[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const details = value.flatMap((entry: unknown): ErrorDetail[] => {
    if (typeof entry === 'string') return [errorDetail(entry)];
    if (typeof entry !== 'object' || entry === null) return [];
    const { field, message } = entry as { field?: unknown; message?: unknown };
    if (typeof message !== 'string') return [];
    return [errorDetail(message, typeof field === 'string' ? field : undefined)];
  });
  return details.length ? details : undefined;
}
