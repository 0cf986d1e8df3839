import type { ErrorDetail } from './error-detail.js';

/**
 * What libs throw when a request cannot be done: the message and `details` a client gets, and a
 * class saying what kind of refusal it is. The HTTP layer (@mas/http) picks the status from the
 * class; nothing here knows about HTTP.
 */
export abstract class DomainError extends Error {
  constructor(
    message: string,
    readonly details?: readonly ErrorDetail[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}
