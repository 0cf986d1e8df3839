import { loadRealtimeSettings, type RealtimeSettings } from '../realtime/realtime-settings.js';
import { type BackupConfig, loadBackupConfig } from '@mas/backup';
import { type DatabaseConfig, type Env, EnvReader, loadDatabaseConfig } from '@mas/persistence';
import { type ExternalSyncConfig, loadExternalSyncConfig } from '@mas/external-sync';
import { type IdentityConfig, loadIdentityConfig } from '@mas/identity';
import {
  type InputBoundarySettings,
  loadInputBoundarySettings,
} from '../input-boundary/input-boundary-settings.js';
import { type JobsSettings, loadJobsSettings } from '../jobs/jobs-settings.js';
import {
  loadWorkflowJobSettings,
  type WorkflowJobSettings,
} from '../workflow/workflow-job-settings.js';
import { type CorsOrigins, loadCorsOrigins } from './cors-origins-config.js';
import { type HttpLimits, loadHttpLimits } from './http-limits-config.js';
import { loadMetricsToken } from './metrics-token-config.js';
import { loadTrustProxy, type TrustProxy } from './trust-proxy-config.js';

export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** LOG_FORMAT; unset: pretty on a developer's terminal, JSON otherwise (see chooseLogFormat). */
  logFormat: 'json' | 'pretty' | undefined;
  /** Browser origins allowed by CORS on the API and the Socket.IO handshake (CORS_ORIGINS). */
  corsOrigins: CorsOrigins;
  redisUrl: string;
  /** What this process runs: HTTP API + relay + gateway (`api`), queue workers (`worker`), or both. */
  appRole: 'all' | 'api' | 'worker';
  /** Socket.IO gateway limits (SOCKETS_PER_USER_MAX, SOCKET_SLOT_LEASE_MS). */
  realtime: RealtimeSettings;
  /** SMTP server for emails; unset: emails are written to the log. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Port of the worker's own health endpoint (APP_ROLE=worker). */
  workerHealthPort: number;
  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  shutdownTimeoutMs: number;
  /**
   * After SIGTERM, how long the API still answers on open connections (each answer closing its
   * connection, readiness 503) before it stops listening: clients move off their keep-alive
   * connections instead of racing a server that closes them.
   */
  shutdownDrainMs: number;
  /** Timeouts and keep-alive bounds of the listening HTTP servers (API and worker health). */
  http: HttpLimits;
  /** Whose X-Forwarded-For is believed for the client address (TRUST_PROXY; default: nobody's). */
  trustProxy: TrustProxy;
  /**
   * Bearer token for /api/metrics and a worker's /metrics. Unset: metrics are off (404) in
   * production and open in development and test.
   */
  metricsToken: string | undefined;
  database: DatabaseConfig;
  identity: IdentityConfig;
  jobs: JobsSettings;
  /** The workflow queue's worker (WORKFLOW_CONCURRENCY). */
  workflowJobs: WorkflowJobSettings;
  inputBoundary: InputBoundarySettings;
  /** The Mr. Learn and Mr. Test sync (MRLEARN_*, MRTEST_*, SYNC_*). */
  externalSync: ExternalSyncConfig;
  /** Scheduled backups and restore drills (BACKUP_DIR, BACKUP_KEEP, BACKUP_ENCRYPTION_KEY, …). */
  backup: BackupConfig;
}

/** Validates the whole environment at once; throws a ConfigError naming the first bad variable. */
export function loadAppConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development');
  const config = {
    nodeEnv,
    host: read.string('HOST', '0.0.0.0'),
    port: read.int('PORT', 3000, { min: 0, max: 65535 }),
    logLevel: read.oneOf(
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      'info',
    ),
    logFormat: read.has('LOG_FORMAT')
      ? read.oneOf('LOG_FORMAT', ['json', 'pretty'] as const, 'json')
      : undefined,
    corsOrigins: loadCorsOrigins(read, nodeEnv),
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:'], 'redis://127.0.0.1:6379').toString(),
    appRole: read.oneOf('APP_ROLE', ['all', 'api', 'worker'], 'all'),
    realtime: loadRealtimeSettings(env),
    smtpUrl: read.has('SMTP_URL')
      ? read.url('SMTP_URL', ['smtp:', 'smtps:']).toString()
      : undefined,
    mailFrom: read.string('MAIL_FROM', 'MAS <no-reply@mas.local>'),
    workerHealthPort: read.int('WORKER_HEALTH_PORT', 3001, { min: 0, max: 65535 }),
    shutdownTimeoutMs: read.int('SHUTDOWN_TIMEOUT_MS', 10_000, { min: 0 }),
    shutdownDrainMs: read.int('SHUTDOWN_DRAIN_MS', 1_000, { min: 0 }),
    http: loadHttpLimits(read),
    trustProxy: loadTrustProxy(read),
    metricsToken: loadMetricsToken(read),
    database: loadDatabaseConfig(env),
    identity: loadIdentityConfig(env),
    inputBoundary: loadInputBoundarySettings(env),
    externalSync: loadExternalSyncConfig(env),
    backup: loadBackupConfig(env),
  } satisfies Omit<AppConfig, 'jobs' | 'workflowJobs'>;
  const jobs = loadJobsSettings(
    {
      nodeEnv,
      appRole: config.appRole,
      redisUrl: config.redisUrl,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
      databaseName: config.database.connection?.database,
    },
    env,
  );
  return { ...config, jobs, workflowJobs: loadWorkflowJobSettings(env) };
}
