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
