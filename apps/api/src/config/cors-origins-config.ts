import { ConfigError, type EnvReader } from '@mas/persistence';

/**
 * Browser origins allowed to call the API and open realtime sockets: `scheme://host[:port]`, or
 * `scheme://host:*` for any port of that host.
 */
export type CorsOrigins = readonly string[];

const LOCAL_DEVELOPMENT_ORIGINS: CorsOrigins = ['http://localhost:*', 'http://127.0.0.1:*'];
const ANY_PORT = ':*';

/** The entry as an origin (`new URL` lowercases, drops default ports), or undefined if it is none. */
function normalizeOrigin(entry: string): string | undefined {
  const anyPort = entry.endsWith(ANY_PORT);
  const base = anyPort ? entry.slice(0, -ANY_PORT.length) : entry;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return undefined;
  }
  // No path, query, fragment or credentials: the href of a bare origin is the origin and a slash.
  const isOriginOnly = ['http:', 'https:'].includes(url.protocol) && url.href === `${url.origin}/`;
  if (!isOriginOnly || (anyPort && url.port !== '')) return undefined;
  return anyPort ? `${url.origin}${ANY_PORT}` : url.origin;
}

/**
 * CORS_ORIGINS: comma-separated origins, or `none`. Unset: none in production, any port of
 * http://localhost and http://127.0.0.1 in development and test. `*` is refused: a deployment
 * names the front ends it serves.
 */
export function loadCorsOrigins(read: EnvReader, nodeEnv: string): CorsOrigins {
  if (!read.has('CORS_ORIGINS')) return nodeEnv === 'production' ? [] : LOCAL_DEVELOPMENT_ORIGINS;
  const value = read.string('CORS_ORIGINS').trim();
  if (value === 'none') return [];
  return value.split(',').map((entry) => {
    const origin = normalizeOrigin(entry.trim());
    if (origin === undefined) {
      throw new ConfigError(
        'CORS_ORIGINS',
        `must be none or comma-separated origins like https://app.example.com or http://localhost:*, got "${entry.trim()}"`,
      );
    }
    return origin;
  });
}

/** Whether a request's Origin header names an allowed origin. */
export function isAllowedOrigin(allowed: CorsOrigins, origin: string): boolean {
  const given = normalizeOrigin(origin);
  if (given === undefined || given.endsWith(ANY_PORT)) return false;
  const { protocol, hostname } = new URL(given);
  return allowed.some((entry) =>
    entry.endsWith(ANY_PORT) ? entry === `${protocol}//${hostname}${ANY_PORT}` : entry === given,
  );
}
