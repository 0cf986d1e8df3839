import { HttpException } from '@nestjs/common';

/** A refusal the client should retry later: the error filter sends `Retry-After` with it. */
export class RetryLaterException extends HttpException {
  constructor(
    status: 429 | 503,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, status);
  }
}
