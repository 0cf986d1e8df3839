import { type ErrorDetail, errorDetail } from '@mas/domain-errors';

/**
 * The response object of a Nest HttpException that carries details, for the HTTP layer's own
 * refusals (validation pipes, middleware):
 * `new BadRequestException(withDetails('validation failed', [errorDetail(...)]))`.
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
