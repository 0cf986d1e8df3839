import { ConfigError, type EnvReader } from '@mas/persistence';

/** Bounds on how long a client may hold a connection: slow or idle clients are cut off. */
export interface HttpLimits {
  /** Time to receive the request headers (slow-header clients get 408). */
  headersTimeoutMs: number;
  /** Time to receive the whole request, body included; response time is not counted. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open after a response. */
  keepAliveTimeoutMs: number;
  /** Requests one keep-alive connection may carry before the server closes it. */
  maxRequestsPerSocket: number;
}

export function loadHttpLimits(read: EnvReader): HttpLimits {
  const requestTimeoutMs = read.int('HTTP_REQUEST_TIMEOUT_MS', 30_000, { min: 1, max: 3_600_000 });
  const headersTimeoutMs = read.int('HTTP_HEADERS_TIMEOUT_MS', Math.min(10_000, requestTimeoutMs), {
    min: 1,
    max: 3_600_000,
  });
  // Node refuses a headers timeout longer than the request timeout.
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(
      'HTTP_HEADERS_TIMEOUT_MS',
      `must not exceed HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`,
    );
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: read.int('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, { min: 1, max: 600_000 }),
    maxRequestsPerSocket: read.int('HTTP_MAX_REQUESTS_PER_SOCKET', 1_000, { min: 1 }),
  };
}
