import { TooManyRequestsError } from '@mas/domain-errors';
import { type WindowCount } from './counter-store.js';

/** 429 with Retry-After: when the window that refused the request ends. */
export function tooMany(message: string, window: WindowCount): TooManyRequestsError {
  const seconds = Math.max(1, Math.ceil(window.resetsInMs / 1000));
  return new TooManyRequestsError(`${message}, retry in ${seconds} s`, seconds);
}
