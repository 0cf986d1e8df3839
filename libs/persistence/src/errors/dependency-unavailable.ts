import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';

/** `busy`: no pooled connection in time, or the server's connection limit; `unavailable`: gone. */
export type Unavailability = 'busy' | 'unavailable';

/** What pg-pool rejects with when no connection frees up within `connectionTimeoutMillis`. */
const POOL_ACQUIRE_TIMEOUT = 'timeout exceeded when trying to connect';
/** What the driver says when the server went away, or a connection it handed out is unusable. */
const CONNECTION_LOST_MESSAGES = new Set([
  'Connection terminated due to connection timeout',
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
]);
/** Socket errors of a dependency that cannot be reached (Postgres or Redis). */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
/**
 * SQLSTATEs of a server that is going away or not there yet: terminated by a shutdown or crash
 * (57P01, 57P02), refusing connections while it starts, stops or recovers (57P03), and every
 * connection exception (class 08).
 */
const SERVER_UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03']);
const TOO_MANY_CONNECTIONS = '53300';

/**
 * Is this error a dependency (Postgres, or a socket to Redis) that is overloaded or cannot be
 * reached, as opposed to a request it refused? The error may come bare (a socket or pool error),
 * wrapped by TypeORM (`driverError`), as a `cause`, or as one of an AggregateError's attempts.
 * A transaction whose connection died under it counts too: TypeORM releases the query runner on
 * the connection's error, so its next query or COMMIT fails unsent (QueryRunner*ReleasedError).
 */
export function unavailabilityOf(error: unknown): Unavailability | null {
  for (const candidate of causesOf(error)) {
    // Duck-typed: socket errors come from Node's own realm, where `instanceof Error` can fail.
    const { message, code } = candidate as { message?: unknown; code?: unknown };
    if (message === POOL_ACQUIRE_TIMEOUT || code === TOO_MANY_CONNECTIONS) return 'busy';
    if (
      candidate instanceof QueryRunnerAlreadyReleasedError ||
      candidate instanceof QueryRunnerProviderAlreadyReleasedError
    )
      return 'unavailable';
    if (typeof message === 'string' && CONNECTION_LOST_MESSAGES.has(message)) return 'unavailable';
    if (typeof code !== 'string') continue;
    if (UNREACHABLE_CODES.has(code) || SERVER_UNAVAILABLE_STATES.has(code)) return 'unavailable';
    if (/^08[0-9A-Z]{3}$/.test(code)) return 'unavailable';
  }
  return null;
}

/** The error and what it wraps, a few levels deep. */
function causesOf(error: unknown, depth = 0): object[] {
  if (typeof error !== 'object' || error === null || depth > 3) return [];
  const { driverError, cause, errors } = error as {
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  const nested = [driverError, cause, ...(Array.isArray(errors) ? (errors as unknown[]) : [])];
  return [error, ...nested.flatMap((inner) => causesOf(inner, depth + 1))];
}
