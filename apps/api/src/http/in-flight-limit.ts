import { RetryLaterException } from '@mas/persistence';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Sheds load at the door: beyond `max` requests in progress in this process, a new one is refused
 * with 503 + Retry-After before it costs parsing, authentication or a database connection. One
 * Node thread serves a burst larger than it can handle no faster by accepting all of it; refusing
 * the excess keeps the admitted requests quick. Paths for which `exempt` is true (health probes)
 * are never shed.
 */
export function inFlightLimit(max: number, exempt: (path: string) => boolean): RequestHandler {
  let inFlight = 0;
  return (request: Request, response: Response, next: NextFunction) => {
    if (exempt(request.path)) return next();
    if (inFlight >= max) {
      return next(new RetryLaterException(503, 'the server is busy, retry later', 1));
    }
    inFlight += 1;
    // 'close' comes once per response, whether it finished or the client went away.
    response.once('close', () => {
      inFlight -= 1;
    });
    next();
  };
}
