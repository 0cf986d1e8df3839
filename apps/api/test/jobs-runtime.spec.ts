import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { type INestApplicationContext } from '@nestjs/common';
import { UsersService } from '@mas/identity';
import { QueueRegistry } from '@mas/jobs';
import {
  OutboxChannel,
  OutboxMessage,
  OutboxService,
  TransactionRunner,
  withTimeout,
} from '@mas/persistence';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp, testEnv } from '@mas/testing/test-app.js';
import { createUserWithRole } from '@mas/testing/users.js';
import { QueueDashboardAccess } from '../src/admin/queue-dashboard-access.js';
import { loadAppConfig } from '../src/config/app-config.js';
import { JobHandlers } from '../src/jobs/job-handlers.js';
import { OutboxQueueDispatchers } from '../src/jobs/outbox-queue-dispatchers.js';
import { QueueWorkers } from '../src/jobs/queue-workers.js';
import { JobSchedulesRegistrar } from '../src/jobs/job-schedules.registrar.js';
import { WorkerHealthServer } from '../src/jobs/worker-health/worker-health.server.js';
import { createWorkerApp } from '../src/worker.js';
import { until } from '@mas/testing/until.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const DASHBOARD = '/api/admin/queues';
const LINKS = '/api/admin/queues/links';

/** A dashboard link's path and query, for supertest (the link itself is absolute). */
const pathOf = (url: string) => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};

/** The `name=value` of the response's first Set-Cookie, to send back as a Cookie header. */
const cookieOf = (response: request.Response) =>
  (response.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
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

  it('gives each queue the job options of its handler, and each worker its concurrency', async () => {
    const keep = {
      removeOnComplete: { age: 24 * 3600, count: 5000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
    };
    const queues = app.app.get(QueueRegistry).all();
    expect(
      Object.fromEntries(queues.map((queue) => [queue.name, queue.defaultJobOptions])),
    ).toEqual({
      cleanup: { ...keep, attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
      email: { ...keep, attempts: 5, backoff: { type: 'exponential', delay: 10_000 } },
      'external-sync': { ...keep, attempts: 1 },
      kpi: { ...keep, attempts: 3, backoff: { type: 'exponential', delay: 30_000 } },
      workflow: { ...keep, attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
    });
    const concurrency = (target: INestApplicationContext) =>
      target
        .get(JobHandlers)
        .all()
        .map(({ options, concurrency }) => [options.queue, concurrency]);
    const tuned = await boot({ APP_ROLE: 'api', WORKFLOW_CONCURRENCY: '3' });
    expect(concurrency(app.app)).toEqual([
      ['cleanup', 1],
      ['email', 5],
      ['external-sync', 2],
      ['kpi', 1],
      ['workflow', 10],
    ]);
    expect(concurrency(tuned.app)).toContainEqual(['workflow', 3]);
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
    ).toEqual(['cleanup', 'email', 'external-sync', 'kpi', 'workflow']);
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
    expect(health.body.info.workers.queues).toHaveLength(5);
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
      'mas_outbox_handed_off_messages',
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
    const handedOff = (
      await database.sql(
        `SELECT count(*)::int AS n FROM outbox_messages WHERE status = 'handed_off'`,
      )
    ).rows[0].n;
    expect(text).toMatch(new RegExp(`mas_outbox_handed_off_messages ${handedOff}\\b`));
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
      'external-sync',
      'kpi',
      'workflow',
    ]);
  });

  describe('dashboard links for a browser', () => {
    async function link(target: TestApp, token: string) {
      const response = await target.http().post(LINKS).set(auth(token)).expect(201);
      return response.body as { url: string; expiresAt: string };
    }

    /** Opens a fresh link like a browser (no Authorization header); the session cookie. */
    async function openDashboard(target: TestApp, token: string): Promise<string> {
      const { url } = await link(target, token);
      return cookieOf(await target.http().get(pathOf(url)).expect(303));
    }

    it('a link opens the dashboard once: 303 with a session cookie, then the UI and its API by cookie', async () => {
      const before = Date.now();
      const { url, expiresAt } = await link(app, adminToken);
      expect(url).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/api\/admin\/queues\?ticket=[\w-]+\.[\w-]+\.[\w-]+$/,
      );
      const lifetime = Date.parse(expiresAt) - before;
      expect(lifetime).toBeGreaterThan(55_000);
      expect(lifetime).toBeLessThanOrEqual(61_000);

      const opened = await app.http().get(pathOf(url)).expect(303);
      expect(opened.headers.location).toBe(DASHBOARD);
      expect(opened.headers['cache-control']).toBe('no-store');
      const setCookie = (opened.headers['set-cookie'] as unknown as string[])[0];
      expect(setCookie).toMatch(/^mas_queue_dashboard=[\w-]+\.[\w-]+\.[\w-]+; /);
      expect(setCookie).toContain('; Path=/api/admin/queues;');
      expect(setCookie).toContain('; HttpOnly');
      expect(setCookie).toContain('; SameSite=Strict');
      expect(setCookie).not.toContain('Secure');
      const cookieLifetime = Date.parse(/Expires=([^;]+)/.exec(setCookie)![1]) - Date.now();
      expect(cookieLifetime).toBeGreaterThan(13 * 60_000);
      expect(cookieLifetime).toBeLessThanOrEqual(15 * 60_000);

      const cookie = cookieOf(opened);
      const page = await app.http().get(DASHBOARD).set('Cookie', cookie).expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('MAS queues');
      const queues = await app
        .http()
        .get(`${DASHBOARD}/api/queues`)
        .set('Cookie', cookie)
        .expect(200);
      expect((queues.body.queues as unknown[]).length).toBe(5);

      const reused = await app.http().get(pathOf(url)).expect(401);
      expect(reused.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'the dashboard link is invalid, expired or already used; ask for a new one',
      });
      expect(reused.headers['set-cookie']).toBeUndefined();

      // The ticket never reaches the logs; the request line does, redacted.
      const ticket = new URL(url).searchParams.get('ticket')!;
      await until(
        () =>
          Promise.resolve(
            app.logs.some((line) => line.includes('?ticket=[redacted]')) ? true : undefined,
          ),
        'the redacted request log',
      );
      expect(app.logs.filter((line) => line.includes(ticket))).toEqual([]);
    });

    it('refuses expired, tampered and malformed tickets and cookies (401), and clears a bad cookie', async () => {
      const me = await app.http().get('/api/users/me').set(auth(adminToken)).expect(200);
      const admin = (await app.app.get(UsersService).findById(me.body.id as string))!;
      const expired = await app.app.get(QueueDashboardAccess).issueTicket(admin, -1);
      await app.http().get(`${DASHBOARD}?ticket=${expired.token}`).expect(401);

      const { url } = await link(app, adminToken);
      const ticket = new URL(url).searchParams.get('ticket')!;
      const [header, payload, signature] = ticket.split('.');
      const forged = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
      await app.http().get(`${DASHBOARD}?ticket=${forged}`).expect(401);
      await app.http().get(`${DASHBOARD}?ticket=${ticket}&ticket=${ticket}`).expect(401);
      await app.http().get(`${DASHBOARD}?ticket=`).expect(401);
      // An access token is no ticket.
      await app.http().get(`${DASHBOARD}?ticket=${adminToken}`).expect(401);
      // The forgeries spent nothing: the genuine ticket still opens the dashboard once.
      await app.http().get(pathOf(url)).expect(303);

      const cookie = await openDashboard(app, adminToken);
      const tampered = `${cookie.slice(0, -2)}${cookie.endsWith('AA') ? 'BB' : 'AA'}`;
      const refused = await app.http().get(DASHBOARD).set('Cookie', tampered).expect(401);
      expect(refused.body.message).toBe(
        'the dashboard session is invalid or expired; open a new dashboard link',
      );
      expect((refused.headers['set-cookie'] as unknown as string[])[0]).toMatch(
        /^mas_queue_dashboard=; Path=\/api\/admin\/queues; Expires=Thu, 01 Jan 1970/,
      );
      // A session for the dashboard opens nothing else, not even as a bearer token.
      await app.http().get('/api/users/me').set('Cookie', cookie).expect(401);
      const session = cookie.slice('mas_queue_dashboard='.length);
      await app.http().get('/api/users/me').set(auth(session)).expect(401);
      await app.http().get(DASHBOARD).set(auth(session)).expect(401);
      await app.http().get(`${DASHBOARD}?ticket=${session}`).expect(401);
      const anonymous = await app.http().get(DASHBOARD).expect(401);
      expect(anonymous.body.message).toBe('a valid bearer token or dashboard link is required');
    });

    it('issues links to admins only (403), and a session dies with deactivation, demotion or revocation', async () => {
      const student = await createUserWithRole(app, 'student', adminToken);
      const forbidden = await app.http().post(LINKS).set(auth(student.token)).expect(403);
      expect(forbidden.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      await app.http().post(LINKS).expect(401);

      const patch = (id: string, body: object) =>
        app.http().patch(`/api/users/${id}`).set(auth(adminToken)).send(body).expect(200);

      const deactivated = await createUserWithRole(app, 'admin', adminToken);
      const deactivatedCookie = await openDashboard(app, deactivated.token);
      await app.http().get(DASHBOARD).set('Cookie', deactivatedCookie).expect(200);
      await patch(deactivated.id, { isActive: false });
      await app.http().get(`${DASHBOARD}/api/queues`).set('Cookie', deactivatedCookie).expect(401);
      await patch(deactivated.id, { isActive: true });
      // Deactivation bumped the token version: reactivated, the old session stays dead.
      await app.http().get(DASHBOARD).set('Cookie', deactivatedCookie).expect(401);

      const demoted = await createUserWithRole(app, 'admin', adminToken);
      const demotedCookie = await openDashboard(app, demoted.token);
      const pendingLink = await link(app, demoted.token);
      await patch(demoted.id, { role: 'student' });
      // A role change keeps the tokens valid, so the checks see a non-admin.
      const demotedPage = await app.http().get(DASHBOARD).set('Cookie', demotedCookie).expect(403);
      expect(demotedPage.body.message).toBe('this route is for admin');
      await app.http().get(pathOf(pendingLink.url)).expect(403);

      const revoked = await createUserWithRole(app, 'admin', adminToken);
      const revokedCookie = await openDashboard(app, revoked.token);
      await app
        .http()
        .post(`/api/users/${revoked.id}/revoke-tokens`)
        .set(auth(adminToken))
        .expect(204);
      await app.http().get(DASHBOARD).set('Cookie', revokedCookie).expect(401);
    });

    it('behind a trusted proxy: the link uses the forwarded host and protocol, the cookie is Secure', async () => {
      const proxied = await boot({ TRUST_PROXY: 'loopback' });
      const token = await login(proxied, TEST_ADMIN.email, TEST_ADMIN.password);
      const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'ops.example.com' };
      const created = await proxied.http().post(LINKS).set(auth(token)).set(forwarded).expect(201);
      const { url } = created.body as { url: string };
      expect(url).toMatch(/^https:\/\/ops\.example\.com\/api\/admin\/queues\?ticket=/);
      const opened = await proxied.http().get(pathOf(url)).set(forwarded).expect(303);
      expect((opened.headers['set-cookie'] as unknown as string[])[0]).toContain('; Secure');
    });
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

    // Whether a ticket was used lives in Redis: without it, no ticket is accepted.
    const downToken = await login(down, TEST_ADMIN.email, TEST_ADMIN.password);
    const { url } = (await down.http().post(LINKS).set(auth(downToken)).expect(201)).body as {
      url: string;
    };
    const unavailable = await down.http().get(pathOf(url)).expect(503);
    expect(unavailable.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'the dashboard link cannot be checked right now',
    });
  });
});
