import { ConfigError, type EnvReader } from '@mas/persistence';

export const MIN_METRICS_TOKEN_LENGTH = 16;

/** METRICS_TOKEN: the bearer token Prometheus must send to read metrics; unset is allowed. */
export function loadMetricsToken(read: EnvReader): string | undefined {
  const token = read.optionalString('METRICS_TOKEN');
  if (token !== undefined && token.length < MIN_METRICS_TOKEN_LENGTH) {
    throw new ConfigError(
      'METRICS_TOKEN',
      `must be at least ${MIN_METRICS_TOKEN_LENGTH} characters`,
    );
  }
  return token;
}
