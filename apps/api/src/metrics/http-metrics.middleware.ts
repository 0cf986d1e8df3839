import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { HttpRequestDuration } from './http-request-duration.js';

/**
 * Times every HTTP request until its response is finished, guards and 404s included (an
 * interceptor would miss what guards reject). The route label is the matched route pattern
 * (`/api/users/:id`), never the raw URL, so the label set stays bounded.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly duration: HttpRequestDuration) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const stopTimer = this.duration.histogram.startTimer();
    response.once('finish', () => {
      stopTimer({
        method: request.method,
        route: routePattern(request),
        status: String(response.statusCode),
      });
    });
    next();
  }
}

function routePattern(request: Request): string {
  const route: unknown = request.route;
  const path = typeof route === 'object' && route !== null && 'path' in route ? route.path : null;
  return typeof path === 'string' ? `${request.baseUrl}${path}` : 'unmatched';
}
