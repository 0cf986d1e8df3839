import { ConfigError, type Env, EnvReader } from '@mas/persistence';
import { SCRYPT_MIN_PRODUCTION_LOG_N } from './passwords/password-hasher.js';

export interface IdentityConfig {
  jwtSecret: string;
  jwtTtlSeconds: number;
  /** How long an instance trusts the user row it read for a token (0: read it on every request). */
  authCacheTtlMs: number;
  /**
   * How long a request waits for a user row another request is already loading: as long as it
   * would wait for a pooled connection of its own (DB_POOL_ACQUIRE_TIMEOUT_MS), then 503.
   */
  authLoadWaitMs: number;
  admin: { email: string; password: string; usesDevelopmentDefault: boolean };
  abuse: AbuseControlsConfig;
  passwordHashing: { concurrency: number; queueMax: number; scryptLogN: number };
}

/** A fixed window: at most `limit` counted events per `windowMs`. */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

export interface AbuseControlsConfig {
  /** Prefix of every limiter key in Redis (tests give each database its own). */
  redisKeyPrefix: string;
  /** Every login attempt from one address, successful or not. */
  loginPerAddress: RateLimit;
  /** Failed logins for one account, from any address. */
  loginFailuresPerAccount: RateLimit;
  /** Failed logins from one address, whatever the account. */
  loginFailuresPerAddress: RateLimit;
  /** Registrations from one address. */
  registerPerAddress: RateLimit;
}

export const DEVELOPMENT_ADMIN_PASSWORD = 'admin-local-only';
const DEVELOPMENT_JWT_SECRET = 'development-only-jwt-secret-do-not-use-in-production';

/** Production must set JWT_SECRET and ADMIN_PASSWORD; local runs get documented defaults. */
export function loadIdentityConfig(env: Env): IdentityConfig {
  const read = new EnvReader(env);
  const production = env.NODE_ENV === 'production';
  const jwtSecret = production
    ? read.string('JWT_SECRET')
    : read.string('JWT_SECRET', DEVELOPMENT_JWT_SECRET);
  if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
  const adminPassword = production
    ? read.string('ADMIN_PASSWORD')
    : read.string('ADMIN_PASSWORD', DEVELOPMENT_ADMIN_PASSWORD);
  if (adminPassword.length < 8)
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 8 characters');
  const scryptLogN = read.int('PASSWORD_SCRYPT_LOG_N', SCRYPT_MIN_PRODUCTION_LOG_N, {
    min: 10,
    max: 20,
  });
  if (production && scryptLogN < SCRYPT_MIN_PRODUCTION_LOG_N)
    throw new ConfigError(
      'PASSWORD_SCRYPT_LOG_N',
      `must be at least ${SCRYPT_MIN_PRODUCTION_LOG_N} in production (the OWASP minimum for scrypt)`,
    );
  const adminEmail = read.string('ADMIN_EMAIL', 'admin@mas.local').toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(adminEmail))
    throw new ConfigError('ADMIN_EMAIL', 'must be an email address');
  return {
    jwtSecret,
    jwtTtlSeconds: read.int('JWT_TTL_SECONDS', 3600, { min: 60, max: 30 * 24 * 3600 }),
    authCacheTtlMs: read.int('AUTH_CACHE_TTL_MS', 2000, { min: 0, max: 60_000 }),
    authLoadWaitMs: read.int('DB_POOL_ACQUIRE_TIMEOUT_MS', 2_000, { min: 1, max: 600_000 }),
    admin: {
      email: adminEmail,
      password: adminPassword,
      usesDevelopmentDefault: adminPassword === DEVELOPMENT_ADMIN_PASSWORD,
    },
    abuse: {
      redisKeyPrefix: read.string('ABUSE_REDIS_PREFIX', 'mas:abuse:'),
      loginPerAddress: rateLimit(read, 'LOGIN_RATE', 300, 60_000),
      loginFailuresPerAccount: rateLimit(read, 'LOGIN_ACCOUNT_FAILURE', 10, FIFTEEN_MINUTES),
      loginFailuresPerAddress: rateLimit(read, 'LOGIN_ADDRESS_FAILURE', 50, FIFTEEN_MINUTES),
      registerPerAddress: rateLimit(read, 'REGISTER_RATE', 20, 3_600_000),
    },
    passwordHashing: {
      concurrency: read.int('PASSWORD_HASH_CONCURRENCY', 2, { min: 1, max: 64 }),
      queueMax: read.int('PASSWORD_HASH_QUEUE_MAX', 64, { min: 0, max: 100_000 }),
      scryptLogN,
    },
  };
}

const FIFTEEN_MINUTES = 15 * 60_000;

/** `<NAME>_LIMIT` and `<NAME>_WINDOW_MS`. */
function rateLimit(read: EnvReader, name: string, limit: number, windowMs: number): RateLimit {
  return {
    limit: read.int(`${name}_LIMIT`, limit, { min: 1 }),
    windowMs: read.int(`${name}_WINDOW_MS`, windowMs, { min: 1000, max: 24 * 3_600_000 }),
  };
}

export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');
