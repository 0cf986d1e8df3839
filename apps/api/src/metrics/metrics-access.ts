import { createHash, timingSafeEqual } from 'node:crypto';
import { bearerToken } from '@mas/identity';
import { type AppConfig } from '../config/app-config.js';

export type MetricsAccess = 'allowed' | 'unauthorized' | 'disabled';

/**
 * Who may read metrics (API and worker alike): with METRICS_TOKEN set, only a caller sending it as
 * a bearer token; without it, nobody in production (the endpoint does not exist) and anybody in
 * development and test, where a local Prometheus should not need a secret.
 */
export function metricsAccess(
  config: Pick<AppConfig, 'nodeEnv' | 'metricsToken'>,
  authorization: string | undefined,
): MetricsAccess {
  if (config.metricsToken === undefined) {
    return config.nodeEnv === 'production' ? 'disabled' : 'allowed';
  }
  const presented = bearerToken(authorization);
  return presented !== undefined && sameSecret(presented, config.metricsToken)
    ? 'allowed'
    : 'unauthorized';
}

/** Constant-time comparison; hashing first makes the lengths equal and hides the token's length. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
