import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface.js';
import { type CorsOrigins, isAllowedOrigin } from '../config/cors-origins-config.js';

/** Headers a browser script may read from a cross-origin response. */
const EXPOSED_HEADERS = ['X-Request-Id', 'Retry-After'];
/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS for the HTTP API and the Socket.IO handshake alike. An allowed origin is echoed back; any
 * other gets no CORS headers, so its browser refuses the response. No credentials: the API
 * authenticates with bearer tokens, never cookies.
 */
export function corsOptions(allowed: CorsOrigins): CorsOptions {
  return {
    origin: (origin, callback) =>
      callback(null, origin !== undefined && isAllowedOrigin(allowed, origin)),
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  };
}
