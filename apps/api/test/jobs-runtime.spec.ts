import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { INestApplicationContext } from '@nestjs/common';
import {
  OutboxChannel,
  OutboxMessage,
  OutboxService,
  TransactionRunner,
  withTimeout,
} from '@mas/persistence';
import request from 'supertest';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-database.js';
import {
  login,
  startTestApp,
  TEST_ADMIN,
  TestApp,
  testEnv,
} from '../../../test/support/test-app.js';
import { createUserWithRole } from '../../../test/support/users.js';
import { loadAppConfig } from '../src/config/app-config.js';
import { OutboxQueueDispatchers } from '../src/jobs/outbox-queue-dispatchers.js';
import { QueueRegistry } from '../src/jobs/queue-registry.js';
import { QueueWorkers } from '../src/jobs/queue-workers.js';
import { JobSchedulesRegistrar } from '../src/jobs/job-schedules.registrar.js';
import { WorkerHealthServer } from '../src/jobs/worker-health/worker-health.server.js';
import { createWorkerApp } from '../src/worker.js';
import { until } from '../../../test/support/until.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const REDIS_DOWN = { REDIS_URL: 'redis://127.0.0.1:1' };

/** Stops every worker first (they share queues), then empties the queues in Redis, then closes. */
async function stopAll(apps: INestApplicationContext[]): Promise<void> {
  for (const app of apps) {
    try {
      await app.get(QueueWorkers).beforeApplicationShutdown();
    } catch {
      // APP_ROLE=api: no workers
    }
  }
  for (const app of apps) {
    for (const queue of app.get(QueueRegistry).all()) {
      // Bounded: a queue that never reached Redis would wait for it forever.
      await withTimeout(queue.obliterate({ force: true }), 2000).catch(() => undefined);
    }
  }
  for (const app of apps) await app.close();
}

describe('jobs runtime: roles, schedules, outbox dispatch, metrics, dashboard', () => {
  const prefix = `jobs-runtime-${randomUUID()}`;
  const databases: TestDatabase[] = [];
  const apps: INestApplicationContext[] = [];
  let database: TestDatabase;
  let app: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    databases.push(database);
    app = await startTestApp(database, { BULLMQ_PREFIX: prefix });
    apps.push(app.app);
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
  });

  afterAll(async () => {
    await stopAll(apps);
    await Promise.all(databases.map((created) => created.drop()));
  });

  async function boot(env: Record<string, string>, fresh = false): Promise<TestApp> {
    const target = fresh ? await createTestDatabase({ migrated: true }) : database;
    if (fresh) databases.push(target);
    const started = await startTestApp(target, { BULLMQ_PREFIX: prefix, ...env });
    apps.push(started.app);
    return started;
  }

  it('registers each schedule once however many instances boot', async () => {
    const registry = app.app.get(QueueRegistry);
    const schedulers = async () => {
      const all = await Promise.all(
        ['cleanup', 'kpi', 'workflow'].map((name) => registry.get(name)!.getJobSchedulers()),
      );
      return all.flat().map((scheduler) => ({ id: scheduler.key, pattern: scheduler.pattern }));
    };
    await until(async () => ((await schedulers()).length === 3 ? true : undefined), 'schedules');
    const second = await boot({});
    await second.app.get(JobSchedulesRegistrar).registerAll();
    await app.app.get(JobSchedulesRegistrar).registerAll();
    expect((await schedulers()).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'cleanup-daily', pattern: '0 3 * * *' },
      { id: 'kpi-every-15-minutes', pattern: '*/15 * * * *' },
      { id: 'workflow-sweep-every-minute', pattern: '* * * * *' },
    ]);
  });

  it('APP_ROLE=api runs the outbox dispatchers but no workers; APP_ROLE=all runs both', async () => {
    const api = await boot({ APP_ROLE: 'api' });
    expect(() => api.app.get(QueueWorkers)).toThrow();
    expect(api.app.get(OutboxQueueDispatchers)).toBeDefined();
    expect(
      app.app
        .get(QueueWorkers)
        .status()
        .map((worker) => worker.queue)
        .sort(),
    ).toEqual(['cleanup', 'email', 'kpi', 'workflow']);
    expect(app.app.get(OutboxQueueDispatchers)).toBeDefined();
  });

  it('an APP_ROLE=worker process serves no API but /health, /health/live and /metrics on its own port', async () => {
    const config = loadAppConfig(
      testEnv(database, {
        APP_ROLE: 'worker',
        WORKER_HEALTH_PORT: '0',
        HOST: '127.0.0.1',
        BULLMQ_PREFIX: prefix,
      }),
    );
    const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
    const worker = await createWorkerApp({
      config,
      connection: config.database.connection!,
      logDestination: silent,
    });
    apps.push(worker);
    expect(() => worker.get(OutboxQueueDispatchers)).toThrow();
    const http = request(`http://127.0.0.1:${worker.get(WorkerHealthServer).port()}`);
    const health = await until(async () => {
      const response = await http.get('/health');
      return response.status === 200 ? response : undefined;
    }, 'worker health');
    expect(health.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'up' }, workers: { status: 'up' } },
    });
    expect(health.body.info.workers.queues).toHaveLength(4);
    await http.get('/health/live').expect(200, { status: 'ok' });
    const metrics = await http.get('/metrics').expect(200);
    expect(metrics.text).toContain('mas_db_pool_connections_in_use');
    await http.get('/api/health').expect(404);
  });

  it('dispatches job-channel outbox rows to the named queue with the message id as job id, once', async () => {
    await app.app
      .get(TransactionRunner)
      .run((tx) => app.app.get(OutboxService).job(tx, 'kpi', { reason: 'test' }));
    const [row] = (
      await database.sql(
        `SELECT id FROM outbox_messages WHERE channel = 'job' AND payload ->> 'reason' = 'test'`,
      )
    ).rows as { id: string }[];
    const queue = app.app.get(QueueRegistry).get('kpi')!;
    const job = await until(async () => (await queue.getJob(row.id)) ?? undefined, 'the kpi job');
    expect(job.data).toEqual({ reason: 'test' });
    await until(async () => ((await job.isCompleted()) ? true : undefined), 'the kpi job to run');

    // A relay retry of the same message adds nothing.
    const dispatchers = app.app.get(OutboxQueueDispatchers);
    const message = Object.assign(new OutboxMessage(), {
      id: row.id,
      channel: OutboxChannel.Job,
      topic: 'kpi',
      payload: { reason: 'test' },
    });
    await dispatchers.dispatchJob(message);
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed');
    const snapshots = await database.sql(`SELECT count(*)::int AS n FROM superadmin.kpi_snapshots`);
    expect(snapshots.rows[0].n).toBe(1);
    expect(counts.waiting + counts.active).toBe(0);
  });

  it('keeps a job-channel row for an unknown queue pending with the error, for a later retry', async () => {
    await app.app
      .get(TransactionRunner)
      .run((tx) => app.app.get(OutboxService).job(tx, 'no-such-queue', {}));
    const row = await until(
      async () =>
        (
          await database.sql(
            `SELECT status, last_error FROM outbox_messages WHERE topic = 'no-such-queue' AND last_error IS NOT NULL`,
          )
        ).rows[0] as { status: string; last_error: string } | undefined,
      'a failed dispatch',
    );
    expect(row).toEqual({
      status: 'pending',
      last_error: 'no queue named "no-such-queue" is registered',
    });
  });

  it('serves Prometheus metrics publicly: HTTP latency, DB pool, queue depths, outbox backlog', async () => {
    await app.http().get('/api/health/live').expect(200);
    await app.http().get('/api/users/me').expect(401);
    const response = await app.http().get('/api/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.text;
    for (const name of [
      'mas_http_request_duration_seconds_bucket',
      'mas_db_pool_connections_in_use',
      'mas_db_pool_connections_idle',
      'mas_db_pool_requests_waiting',
      'mas_queue_jobs',
      'mas_queue_metrics_up 1',
      'mas_outbox_pending_messages',
      'process_cpu_user_seconds_total',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(
      /mas_http_request_duration_seconds_count\{method="GET",route="\/api\/health\/live",status="200"\} \d+/,
    );
    expect(text).toMatch(/route="\/api\/users\/me",status="401"/);
    for (const queue of ['cleanup', 'kpi', 'email', 'workflow']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect(text).toMatch(
          new RegExp(`mas_queue_jobs\\{queue="${queue}",state="${state}"\\} \\d+`),
        );
      }
    }
    const pending = (
      await database.sql(`SELECT count(*)::int AS n FROM outbox_messages WHERE status = 'pending'`)
    ).rows[0].n;
    expect(text).toMatch(new RegExp(`mas_outbox_pending_messages ${pending}\\b`));
  });

  it('shows the queue dashboard to admins only (401 without a valid token, 403 for other roles)', async () => {
    await app.http().get('/api/admin/queues').expect(401);
    await app.http().get('/api/admin/queues').set(auth('not-a-token')).expect(401);
    const student = await createUserWithRole(app, 'student', adminToken);
    const forbidden = await app
      .http()
      .get('/api/admin/queues')
      .set(auth(student.token))
      .expect(403);
    expect(forbidden.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'this route is for admin',
    });
    await app.http().get('/api/admin/queues/api/queues').set(auth(student.token)).expect(403);
    const page = await app.http().get('/api/admin/queues').set(auth(adminToken)).expect(200);
    expect(page.text).toContain('MAS queues');
    const queues = await app
      .http()
      .get('/api/admin/queues/api/queues')
      .set(auth(adminToken))
      .expect(200);
    expect((queues.body.queues as { name: string }[]).map((queue) => queue.name).sort()).toEqual([
      'cleanup',
      'email',
      'kpi',
      'workflow',
    ]);
  });

  it('without Redis: boots and serves, enqueueing fails fast and the outbox row stays pending', async () => {
    const down = await boot(REDIS_DOWN, true);
    await down.http().get('/api/health').expect(200);
    const started = Date.now();
    const message = Object.assign(new OutboxMessage(), {
      id: randomUUID(),
      channel: OutboxChannel.Job,
      topic: 'kpi',
      payload: {},
    });
    await expect(down.app.get(OutboxQueueDispatchers).dispatchJob(message)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(4000);

    const downDatabase = databases[databases.length - 1];
    await down.app.get(TransactionRunner).run((tx) =>
      down.app.get(OutboxService).email(tx, {
        template: 'booking_confirmation',
        to: 'a@example.com',
        data: {},
      }),
    );
    const row = await until(
      async () =>
        (
          await downDatabase.sql(
            `SELECT status, last_error FROM outbox_messages WHERE channel = 'email' AND last_error IS NOT NULL`,
          )
        ).rows[0] as { status: string; last_error: string } | undefined,
      'a failed email dispatch',
    );
    expect(row.status).toBe('pending');
    expect(row.last_error).toMatch(/redis is not connected|unavailable/);

    const metrics = await down.http().get('/api/metrics').expect(200);
    expect(metrics.text).toContain('mas_queue_metrics_up 0');
    expect(metrics.text).not.toMatch(/mas_queue_jobs\{/);
    await down.http().get('/api/admin/queues').expect(401);
  });
});
