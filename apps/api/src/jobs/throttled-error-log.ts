import { type Logger } from '@nestjs/common';

/**
 * An error listener that logs the first error and then at most one per interval: a Redis outage
 * makes every reconnect attempt emit an error, which would otherwise flood the log.
 */
export function throttledErrorLog(
  logger: Logger,
  what: string,
  intervalMs = 60_000,
): (error: Error) => void {
  let lastLoggedAt = 0;
  let suppressed = 0;
  return (error) => {
    const now = Date.now();
    if (now - lastLoggedAt < intervalMs) {
      suppressed++;
      return;
    }
    const more = suppressed ? ` (${suppressed} similar errors suppressed)` : '';
    logger.warn(`${what}: ${error.message}${more}`);
    lastLoggedAt = now;
    suppressed = 0;
  };
}
