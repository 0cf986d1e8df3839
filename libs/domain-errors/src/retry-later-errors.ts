import { DomainError } from './domain-error.js';

/** A refusal the caller should retry after `retryAfterSeconds` (sent as `Retry-After`). */
export abstract class RetryLaterError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The caller made too many attempts within a window (abuse limits). */
export class TooManyRequestsError extends RetryLaterError {}

/** The server has no capacity for this right now (a full work queue). */
export class ServerBusyError extends RetryLaterError {}
