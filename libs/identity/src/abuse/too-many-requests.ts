import { RetryLaterException } from '@mas/persistence';
import { type WindowCount } from './counter-store.js';

/** 429 with Retry-After: when the window that refused the request ends. */
export function tooMany(message: string, window: WindowCount): RetryLaterException {
  const seconds = Math.max(1, Math.ceil(window.resetsInMs / 1000));
  return new RetryLaterException(429, `${message}, retry in ${seconds} s`, seconds);
}
