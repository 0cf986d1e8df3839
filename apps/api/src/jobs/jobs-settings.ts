import { ConfigError, type Env, EnvReader } from '@mas/persistence';
import type { AppConfig } from '../config/app-config.js';

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
  /** Workflow jobs one process runs at once (WORKFLOW_CONCURRENCY). */
  workflowConcurrency: number;
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

const PREFIX = /^[\w.-]{1,100}$/;

/**
 * BULLMQ_PREFIX defaults to `bull`; under NODE_ENV=test it defaults to one prefix per test
 * database, so test files booting apps in parallel never process each other's jobs.
 */
export function loadJobsSettings(config: Omit<AppConfig, 'jobs'>, env: Env): JobsSettings {
  const read = new EnvReader(env);
  const testDatabase = config.database.connection?.database;
  const fallback = config.nodeEnv === 'test' && testDatabase ? `bull-test-${testDatabase}` : 'bull';
  const prefix = read.string('BULLMQ_PREFIX', fallback);
  if (!PREFIX.test(prefix)) {
    throw new ConfigError('BULLMQ_PREFIX', 'must be 1-100 letters, digits, ".", "_" or "-"');
  }
  return {
    redisUrl: config.redisUrl,
    prefix,
    runsWorkers: config.appRole !== 'api',
    runsOutboxDispatchers: config.appRole !== 'worker',
    servesWorkerHealth: config.appRole === 'worker',
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    workflowConcurrency: read.int('WORKFLOW_CONCURRENCY', 10, { min: 1, max: 100 }),
    lockDurationMs: read.int('WORKER_LOCK_DURATION_MS', 30_000, { min: 1000, max: 600_000 }),
    dataLossCheckMs: read.int('REDIS_DATA_LOSS_CHECK_MS', 5000, { min: 100, max: 300_000 }),
  };
}
