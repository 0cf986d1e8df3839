import { ConfigError, Env, EnvReader } from '@mas/persistence';

export interface IdentityConfig {
  jwtSecret: string;
  jwtTtlSeconds: number;
  admin: { email: string; password: string; usesDevelopmentDefault: boolean };
  loginRateLimit: { limit: number; windowMs: number };
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
  const adminEmail = read.string('ADMIN_EMAIL', 'admin@mas.local').toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(adminEmail))
    throw new ConfigError('ADMIN_EMAIL', 'must be an email address');
  return {
    jwtSecret,
    jwtTtlSeconds: read.int('JWT_TTL_SECONDS', 3600, { min: 60, max: 30 * 24 * 3600 }),
    admin: {
      email: adminEmail,
      password: adminPassword,
      usesDevelopmentDefault: adminPassword === DEVELOPMENT_ADMIN_PASSWORD,
    },
    loginRateLimit: {
      limit: read.int('LOGIN_RATE_LIMIT', 10, { min: 1 }),
      windowMs: read.int('LOGIN_RATE_WINDOW_MS', 60_000, { min: 1000 }),
    },
  };
}

export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');
