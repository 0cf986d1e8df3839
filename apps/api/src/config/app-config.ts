import { DatabaseConfig, Env, EnvReader, loadDatabaseConfig } from '@mas/persistence';
import { IdentityConfig, loadIdentityConfig } from '@mas/identity';

export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  redisUrl: string;
  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  shutdownTimeoutMs: number;
  database: DatabaseConfig;
  identity: IdentityConfig;
}

/** Validates the whole environment at once; throws a ConfigError naming the first bad variable. */
export function loadAppConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  return {
    nodeEnv: read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development'),
    host: read.string('HOST', '0.0.0.0'),
    port: read.int('PORT', 3000, { min: 0, max: 65535 }),
    logLevel: read.oneOf(
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      'info',
    ),
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:'], 'redis://127.0.0.1:6379').toString(),
    shutdownTimeoutMs: read.int('SHUTDOWN_TIMEOUT_MS', 10_000, { min: 0 }),
    database: loadDatabaseConfig(env),
    identity: loadIdentityConfig(env),
  };
}
