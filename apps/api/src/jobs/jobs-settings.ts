import { ConfigError, type Env, EnvReader } from '@mas/persistence';

export interface JobsSettings {
  redisUrl: string;
  /** BullMQ key prefix: separates deployments (and test files) that share one Redis. */
  prefix: string;
  /** Queue processors and the schedules they serve (APP_ROLE worker and all). */
  runsWorkers: boolean;
  /** Outbox dispatchers for the email and job channels (APP_ROLE api and all, beside the relay). */
  runsOutboxDispatchers: boolean;
  /** The worker process's own /health server (APP_ROLE worker: it serves no API). */
  servesWorkerHealth: boolean;
  /** How long shutdown waits for running jobs. */
  shutdownTimeoutMs: number;
  /**
   * A job's lock (WORKER_LOCK_DURATION_MS): a worker that dies holding a job stops renewing it, and
   * after this long another worker takes the job over.
   */
  lockDurationMs: number;
  /**
   * How often each process checks that Redis still holds its marker key (REDIS_DATA_LOSS_CHECK_MS):
   * a Redis emptied without dropping connections (FLUSHALL, a failover behind a proxy) is noticed
   * within this long.
   */
  dataLossCheckMs: number;
}

/** What the jobs settings take from the rest of the configuration, already validated there. */
export interface JobsSettingsBasis {
  nodeEnv: string;
  appRole: 'all' | 'api' | 'worker';
  redisUrl: string;
  shutdownTimeoutMs: number;
  /** The database's name, when known: under NODE_ENV=test it names the default BULLMQ_PREFIX. */
  databaseName: string | undefined;
}

export const JOBS_SETTINGS = Symbol('JOBS_SETTINGS');

const PREFIX = /^[\w.-]{1,100}$/;

/**
 * BULLMQ_PREFIX defaults to `bull`; under NODE_ENV=test it defaults to one prefix per test
 * database, so test files booting apps in parallel never process each other's jobs.
 */
export function loadJobsSettings(basis: JobsSettingsBasis, env: Env): JobsSettings {
  const read = new EnvReader(env);
  const fallback =
    basis.nodeEnv === 'test' && basis.databaseName ? `bull-test-${basis.databaseName}` : 'bull';
  const prefix = read.string('BULLMQ_PREFIX', fallback);
  if (!PREFIX.test(prefix)) {
    throw new ConfigError('BULLMQ_PREFIX', 'must be 1-100 letters, digits, ".", "_" or "-"');
  }
  return {
    redisUrl: basis.redisUrl,
    prefix,
    runsWorkers: basis.appRole !== 'api',
    runsOutboxDispatchers: basis.appRole !== 'worker',
    servesWorkerHealth: basis.appRole === 'worker',
    shutdownTimeoutMs: basis.shutdownTimeoutMs,
    lockDurationMs: read.int('WORKER_LOCK_DURATION_MS', 30_000, { min: 1000, max: 600_000 }),
    dataLossCheckMs: read.int('REDIS_DATA_LOSS_CHECK_MS', 5000, { min: 100, max: 300_000 }),
  };
}
