import { ConfigError, type Env, EnvReader } from '@mas/persistence';
import { SOURCE_NAMES, type SourceName } from '../source/source-name.js';

export interface SourceEndpoint {
  /** The platform's base URL; requests go to `<baseUrl>/v1/<resource>`. */
  baseUrl: URL;
  /** Bearer token; unset: requests carry no Authorization header. */
  token: string | undefined;
}

export interface ExternalSyncConfig {
  /** Only the sources with a URL: a source without one is off. */
  sources: Partial<Record<SourceName, SourceEndpoint>>;
  /** SYNC_INTERVAL_MINUTES as a cron pattern (UTC): how often every source is pulled. */
  schedulePattern: string;
  /** `limit` asked of the platform per page (SYNC_PAGE_SIZE). */
  pageSize: number;
  /** Tries of one request before the run stops with the error recorded (SYNC_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** First backoff after a 5xx or network error, doubled each try (SYNC_RETRY_BASE_MS). */
  retryBaseMs: number;
  /** The longest Retry-After a run waits for; a longer one ends the run (SYNC_MAX_RETRY_AFTER_S). */
  maxRetryAfterMs: number;
  /** One request's timeout (SYNC_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** How long a run's lease lasts unless renewed (SYNC_LEASE_MS); renewed every third of it. */
  leaseMs: number;
}

const ENV_PREFIX: Record<SourceName, string> = { mrlearn: 'MRLEARN', mrtest: 'MRTEST' };

/**
 * Validates the sync settings. The interval must divide an hour or a day evenly, so that it is a
 * cron pattern: a fixed schedule does not run on every boot as an `every` interval would.
 */
export function loadExternalSyncConfig(env: Env): ExternalSyncConfig {
  const read = new EnvReader(env);
  const sources: Partial<Record<SourceName, SourceEndpoint>> = {};
  for (const source of SOURCE_NAMES) {
    const prefix = ENV_PREFIX[source];
    const token = read.optionalString(`${prefix}_TOKEN`);
    if (!read.has(`${prefix}_URL`)) continue;
    sources[source] = { baseUrl: read.url(`${prefix}_URL`, ['http:', 'https:']), token };
  }
  const leaseMs = read.int('SYNC_LEASE_MS', 60_000, { min: 1000 });
  const requestTimeoutMs = read.int('SYNC_REQUEST_TIMEOUT_MS', 30_000, { min: 100 });
  return {
    sources,
    schedulePattern: cronPattern(read.int('SYNC_INTERVAL_MINUTES', 15, { min: 1, max: 1440 })),
    pageSize: read.int('SYNC_PAGE_SIZE', 500, { min: 1, max: 10_000 }),
    maxAttempts: read.int('SYNC_MAX_ATTEMPTS', 5, { min: 1, max: 20 }),
    retryBaseMs: read.int('SYNC_RETRY_BASE_MS', 1000, { min: 0 }),
    maxRetryAfterMs: read.int('SYNC_MAX_RETRY_AFTER_S', 300, { min: 0 }) * 1000,
    requestTimeoutMs,
    leaseMs,
  };
}

function cronPattern(minutes: number): string {
  if (minutes < 60 && 60 % minutes === 0) return `*/${minutes} * * * *`;
  if (minutes % 60 === 0 && 1440 % minutes === 0) return `0 */${minutes / 60} * * *`;
  throw new ConfigError(
    'SYNC_INTERVAL_MINUTES',
    `must divide an hour (1-30) or be whole hours dividing a day (60-1440), got ${minutes}`,
  );
}
