import { OUTBOX_ROW_ENDED, QueueRegistry } from '@mas/jobs';
import { OutboxChannel, OutboxMessage } from '@mas/persistence';
import { WORKFLOW_QUEUE, WorkflowActions, WorkflowEngine, WorkflowTriggers } from '@mas/workflow';
import type { Job } from 'bullmq';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { connectEvents, type EventsClient, listen } from '@mas/testing/realtime.js';
import { until } from '@mas/testing/until.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';
import { SWEEP_JOB, WorkflowJobHandler } from '../src/workflow/workflow-job.handler.js';
import { createCourseBatch } from '@mas/testing/catalog.js';

interface RunBody {
  id: string;
  status: string;
  currentStep: string | null;
  attempt: number;
  definitionVersion: number;
  context: Record<string, unknown> & { owner?: { id: string; email: string }; band?: string };
  error: string | null;
  steps: { stepNo: number; stepKey: string; attempt: number; status: string; error: string }[];
}

const END = { done: { type: 'end' } };

describe('workflow engine: definitions, runs, signals, timers, retries, triggers', () => {
  let database: TestDatabase;
  let app: TestApp;
  let adminToken: string;
  let sales: TestUser[];
  let batchId: string;
  let admin: EventsClient;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database, { OUTBOX_POLL_MS: '20' });
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    sales = [
      await createUserWithRole(app, 'sales', adminToken),
      await createUserWithRole(app, 'sales', adminToken),
    ];
    batchId = await createCourseBatch(
      app,
      adminToken,
      { code: 'MAS-101', title: 'Data Science', price: '1499.00' },
      { name: 'Spring', startsOn: '2031-03-01', capacity: 500 },
    );
    admin = await connectEvents(await listen(app), { token: adminToken });
  });

  afterAll(async () => {
    admin?.close();
    await app?.close();
    await database?.drop();
  });

  const getRun = async (id: string): Promise<RunBody> =>
    (await app.http().get(`/api/workflow/runs/${id}`).set(auth(adminToken)).expect(200)).body;

  const runReaches = (id: string, status: string, step?: string) =>
    until(
      async () => {
        const run = await getRun(id);
        return run.status === status && (!step || run.currentStep === step) ? run : undefined;
      },
      `run ${id} ${status} ${step ?? ''}`,
    );

  const define = (body: Record<string, unknown>) =>
    app.http().post('/api/workflow/definitions').set(auth(adminToken)).send(body);

  const start = (definitionKey: string, context: Record<string, unknown> = {}) =>
    app
      .http()
      .post('/api/workflow/runs')
      .set(auth(adminToken))
      .send({ definitionKey, subjectType: 'test', subjectId: 'subject-1', context });

  const signal = (id: string, event: string, payload?: Record<string, unknown>) =>
    app
      .http()
      .post(`/api/workflow/runs/${id}/signal`)
      .set(auth(adminToken))
      .send({ event, payload });

  async function applyAsNewStudent(): Promise<{ student: TestUser; applicationId: string }> {
    const student = await createUserWithRole(app, 'student', adminToken);
    const applied = await app
      .http()
      .post('/api/lms/applications')
      .set(auth(student.token))
      .send({ batchId })
      .expect(201);
    return { student, applicationId: applied.body.id };
  }

  async function runOf(definitionKey: string, applicationId: string): Promise<RunBody> {
    const found = await until(async () => {
      const page = await app
        .http()
        .get(`/api/workflow/runs?definitionKey=${definitionKey}&subjectId=${applicationId}`)
        .set(auth(adminToken))
        .expect(200);
      return page.body.items[0] as RunBody | undefined;
    }, `a ${definitionKey} run for ${applicationId}`);
    return getRun(found.id);
  }

  const emailsTo = async (to: string, template: string) =>
    (
      await database.sql(
        `SELECT payload FROM outbox_messages WHERE channel = 'email' AND topic = $1 AND payload ->> 'to' = $2`,
        [template, to],
      )
    ).rows;

  it('seeds the default workflows once, as version 1', async () => {
    const list = await app
      .http()
      .get('/api/workflow/definitions')
      .set(auth(adminToken))
      .expect(200);
    expect(list.body.map((d: { key: string; version: number }) => [d.key, d.version])).toEqual([
      ['application_review', 1],
      ['pap_onboarding', 1],
    ]);
    expect(list.body[0].trigger).toEqual({ event: 'application.created' });
  });

  it('rejects invalid definitions with 400 naming every problem, and saves nothing', async () => {
    const invalid = await define({
      key: 'broken',
      name: 'Broken',
      trigger: { event: 'Not An Event', when: 'data.x ==' },
      config: {
        start: 'first',
        steps: {
          first: { type: 'action', action: 'no.such_action', next: 'second' },
          second: { type: 'teleport', next: 'done' },
          orphan: { type: 'wait', durationMs: 0, next: 'done' },
          choose: {
            type: 'branch',
            branches: [{ when: 'a = 1', next: 'done' }],
            otherwise: 'done',
          },
          ...END,
        },
      },
    }).expect(400);
    const fields = invalid.body.details.map((problem: { field: string }) => problem.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'trigger.event',
        'trigger.when',
        'config.steps.first.action',
        'config.steps.second.type',
        'config.steps.orphan.durationMs',
        'config.steps.choose.branches.0.when',
      ]),
    );

    const graph = await define({
      key: 'broken',
      name: 'Broken graph',
      config: {
        start: 'first',
        steps: {
          first: { type: 'action', action: 'context.set', next: 'nowhere' },
          island: { type: 'end' },
        },
      },
    }).expect(400);
    expect(graph.body.details).toEqual([
      { field: 'config.steps.first', message: 'transition to "nowhere", which is not a step' },
    ]);
    const unreachable = await define({
      key: 'broken',
      name: 'Unreachable',
      config: {
        start: 'loop',
        steps: { loop: { type: 'wait', durationMs: 5, next: 'loop' }, island: { type: 'end' } },
      },
    }).expect(400);
    expect(unreachable.body.details).toEqual([
      { field: 'config.steps.island', message: 'unreachable from start' },
      { field: 'config.steps', message: 'no end step is reachable from start' },
    ]);
    await define({
      key: 'broken',
      name: 'Bad params',
      config: {
        start: 'set',
        steps: {
          set: {
            type: 'action',
            action: 'lms.set_application_status',
            params: { status: 'x' },
            next: 'done',
          },
          ...END,
        },
      },
    }).expect(400);
    await define({ key: 'Bad Key', name: 'x', config: {} }).expect(400);
    await define({ key: 'broken', name: 'x', config: 'steps' }).expect(400);
    const none = await app
      .http()
      .get('/api/workflow/definitions?key=broken')
      .set(auth(adminToken))
      .expect(200);
    expect(none.body).toEqual([]);
  });

  it('only admins save definitions and start runs; staff read and signal', async () => {
    const config = { start: 'done', steps: END };
    await app
      .http()
      .post('/api/workflow/definitions')
      .set(auth(sales[0].token))
      .send({ key: 'x', name: 'x', config })
      .expect(403);
    await app.http().get('/api/workflow/definitions').expect(401);
    await app.http().get('/api/workflow/definitions').set(auth(sales[0].token)).expect(200);
    await app.http().get('/api/workflow/runs/not-a-uuid').set(auth(adminToken)).expect(400);
    await app
      .http()
      .get('/api/workflow/runs/00000000-0000-4000-8000-000000000000')
      .set(auth(adminToken))
      .expect(404);
    await start('no_such_workflow').expect(404);
  });

  it('reviews an application from its creation to acceptance through a signal, then onboards it to PAP', async () => {
    const { student, applicationId } = await applyAsNewStudent();
    const review = await runOf('application_review', applicationId);
    const waiting = await runReaches(review.id, 'waiting', 'wait_for_review');
    const owner = waiting.context.owner as { id: string; email: string };
    expect(sales.map((user) => user.id)).toContain(owner.id);
    const lead = await database.sql(
      `SELECT owner_id FROM mas_crm.leads WHERE application_id = $1`,
      [applicationId],
    );
    expect(lead.rows).toEqual([{ owner_id: owner.id }]);
    const application = await database.sql(`SELECT status FROM applications WHERE id = $1`, [
      applicationId,
    ]);
    expect(application.rows).toEqual([{ status: 'under_review' }]);
    const [email] = await emailsTo(student.email, 'application_under_review');
    expect(email.payload.data).toMatchObject({ applicationId, ownerName: 'Test sales' });

    const refused = await signal(review.id, 'reviewed', { decision: 'maybe' }).expect(422);
    expect(refused.body.message).toContain('payload.decision');
    await signal(review.id, 'approved', { decision: 'accepted' }).expect(409);
    await signal(review.id, 'reviewed', { decision: 'accepted' }).expect(200);

    const done = await runReaches(review.id, 'completed');
    expect(done.steps.map((step) => [step.stepNo, step.stepKey, step.status])).toEqual([
      [1, 'assign_owner', 'completed'],
      [2, 'start_review', 'completed'],
      [3, 'email_applicant', 'completed'],
      [4, 'wait_for_review', 'completed'],
      [5, 'decide', 'completed'],
      [6, 'accept', 'completed'],
      [7, 'done', 'completed'],
    ]);
    expect(done.context.signals).toEqual({ reviewed: { decision: 'accepted' } });
    const accepted = await database.sql(`SELECT status FROM applications WHERE id = $1`, [
      applicationId,
    ]);
    expect(accepted.rows).toEqual([{ status: 'accepted' }]);
    await signal(review.id, 'reviewed', { decision: 'accepted' }).expect(409);

    // The acceptance of a MAS-101 application starts PAP onboarding.
    const pap = await runOf('pap_onboarding', applicationId);
    await runReaches(pap.id, 'waiting', 'wait_for_agreement');
    expect(await emailsTo(student.email, 'pap_onboarding')).toHaveLength(1);
    await signal(pap.id, 'agreement_signed').expect(200);
    await runReaches(pap.id, 'completed');
    const papRow = await database.sql(
      `SELECT status FROM mas101_pap_workflows WHERE application_id = $1`,
      [applicationId],
    );
    expect(papRow.rows).toEqual([{ status: 'in_training' }]);

    const statuses = admin.received
      .filter((entry) => entry.event === 'workflow.run_updated')
      .map((entry) => (entry.payload as { data: { runId: string; status: string } }).data)
      .filter((data) => data.runId === review.id)
      .map((data) => data.status);
    expect(statuses).toEqual(['pending', 'running', 'waiting', 'running', 'completed']);
  });

  it('assigns sales owners round-robin', async () => {
    const owners: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { applicationId } = await applyAsNewStudent();
      const run = await runReaches(
        (await runOf('application_review', applicationId)).id,
        'waiting',
      );
      owners.push((run.context.owner as { id: string }).id);
    }
    expect(owners[0]).not.toBe(owners[1]);
    expect(owners[2]).toBe(owners[0]);
    expect(owners[3]).toBe(owners[1]);
  });

  it('takes the timeout path (a reminder to the owner), and a new version leaves older runs on theirs', async () => {
    const { applicationId: onV1 } = await applyAsNewStudent();
    const v1Run = await runReaches((await runOf('application_review', onV1)).id, 'waiting');
    expect(v1Run.definitionVersion).toBe(1);

    const [latest] = (
      await app.http().get('/api/workflow/definitions?key=application_review').set(auth(adminToken))
    ).body;
    const config = structuredClone(latest.config);
    config.steps.wait_for_review.timeoutMs = 300;
    const v2 = await define({
      key: 'application_review',
      name: 'Application review (short timeout)',
      trigger: latest.trigger,
      config,
    }).expect(201);
    expect(v2.body.version).toBe(2);

    const { applicationId } = await applyAsNewStudent();
    const run = await runOf('application_review', applicationId);
    expect(run.definitionVersion).toBe(2);
    const waiting = await runReaches(run.id, 'waiting', 'wait_for_review');
    const owner = waiting.context.owner as { email: string };
    const reminded = await until(async () => {
      const current = await getRun(run.id);
      const reminders = current.steps.filter((step) => step.stepKey === 'remind_owner');
      return reminders.length >= 2 ? current : undefined;
    }, 'two reminders');
    expect(reminded.steps.slice(3, 6).map((step) => [step.stepKey, step.status])).toEqual([
      ['wait_for_review', 'timed_out'],
      ['remind_owner', 'completed'],
      ['wait_for_review', 'timed_out'],
    ]);
    const reminders = await emailsTo(owner.email, 'application_review_reminder');
    expect(reminders.length).toBeGreaterThanOrEqual(2);
    expect(reminders[0].payload.data).toMatchObject({ applicationId });

    await until(async () => {
      const response = await signal(run.id, 'reviewed', { decision: 'rejected' });
      return response.status === 200 ? true : undefined;
    }, 'the signal to land while the run waits');
    await runReaches(run.id, 'completed');
    const rejected = await database.sql(`SELECT status FROM applications WHERE id = $1`, [
      applicationId,
    ]);
    expect(rejected.rows).toEqual([{ status: 'rejected' }]);

    // The v1 run still waits with its 72 hour timeout, on v1's steps.
    const old = await getRun(v1Run.id);
    expect(old).toMatchObject({
      status: 'waiting',
      definitionVersion: 1,
      currentStep: 'wait_for_review',
    });
    expect(old.steps.filter((step) => step.stepKey === 'remind_owner')).toEqual([]);
    await signal(v1Run.id, 'reviewed', { decision: 'accepted' }).expect(200);
    await runReaches(v1Run.id, 'completed');
  });

  it('runs timers, branches on the context, and a new version does not change a started run', async () => {
    const v1 = {
      start: 'wait',
      steps: {
        wait: { type: 'wait', durationMs: 200, next: 'choose' },
        choose: {
          type: 'branch',
          branches: [{ when: 'score >= 10 && !(tier == "basic")', next: 'high' }],
          otherwise: 'low',
        },
        high: { type: 'action', action: 'context.set', params: { band: 'high' }, next: 'done' },
        low: { type: 'action', action: 'context.set', params: { band: 'low' }, next: 'done' },
        ...END,
      },
    };
    expect(
      (await define({ key: 'scoring', name: 'Scoring', config: v1 }).expect(201)).body.version,
    ).toBe(1);
    const high = (await start('scoring', { score: 12, tier: 'gold' }).expect(201)).body;
    const low = (await start('scoring', { score: 12, tier: 'basic' }).expect(201)).body;
    await define({
      key: 'scoring',
      name: 'Scoring v2',
      config: {
        start: 'mark',
        steps: {
          mark: { type: 'action', action: 'context.set', params: { band: 'v2' }, next: 'done' },
          ...END,
        },
      },
    }).expect(201);
    const v2 = (await start('scoring').expect(201)).body;

    const highDone = await runReaches(high.id, 'completed');
    expect(highDone.context.band).toBe('high');
    expect(highDone.steps.map((step) => step.stepKey)).toEqual(['wait', 'choose', 'high', 'done']);
    expect((await runReaches(low.id, 'completed')).context.band).toBe('low');
    const v2Done = await runReaches(v2.id, 'completed');
    expect(v2Done).toMatchObject({ definitionVersion: 2, context: { band: 'v2' } });
    const versions = await app
      .http()
      .get('/api/workflow/definitions?key=scoring')
      .set(auth(adminToken))
      .expect(200);
    expect(versions.body.map((d: { version: number }) => d.version)).toEqual([2, 1]);
  });

  it('starts the newest version even when another instance saved it after this one last looked', async () => {
    const step = (band: string) => ({
      start: band,
      steps: {
        [band]: { type: 'action', action: 'context.set', params: { band }, next: 'done' },
        ...END,
      },
    });
    await define({ key: 'elsewhere', name: 'Saved here', config: step('here') }).expect(201);
    expect((await start('elsewhere').expect(201)).body).toMatchObject({ definitionVersion: 1 });
    // Version 2 as another API instance saves it: this instance is not told.
    await database.sql(
      `INSERT INTO workflow_definitions (key, version, name, config)
       VALUES ('elsewhere', 2, 'Saved elsewhere', $1)`,
      [JSON.stringify(step('there'))],
    );

    const first = (await start('elsewhere').expect(201)).body;
    const second = (await start('elsewhere').expect(201)).body;

    for (const run of [first, second])
      expect(run).toMatchObject({ definitionVersion: 2, currentStep: 'there' });
    expect((await runReaches(first.id, 'completed')).context.band).toBe('there');
    const { rows } = await database.sql(
      `SELECT definition_version AS version, count(*)::int AS runs FROM workflow_runs
        WHERE definition_key = 'elsewhere' GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual([
      { version: 1, runs: 1 },
      { version: 2, runs: 2 },
    ]);
  });

  it('retries a failing step with backoff, recovers when the cause goes away, and fails the run after the last attempt', async () => {
    const config = (maxAttempts: number, backoffMs: number) => ({
      start: 'assign',
      steps: {
        assign: {
          type: 'action',
          action: 'crm.assign_sales_owner',
          retry: { maxAttempts, backoffMs },
          next: 'done',
        },
        ...END,
      },
    });
    await define({ key: 'assign_only', name: 'Assign', config: config(3, 50) }).expect(201);
    const { applicationId } = await applyAsNewStudent();
    const subject = { subjectType: 'application', subjectId: applicationId };
    await database.sql(`UPDATE users SET is_active = false WHERE role = 'sales'`);
    try {
      const failing = await app
        .http()
        .post('/api/workflow/runs')
        .set(auth(adminToken))
        .send({ definitionKey: 'assign_only', ...subject })
        .expect(201);
      const failed = await runReaches(failing.body.id, 'failed');
      expect(failed.steps.map((step) => [step.stepKey, step.attempt, step.status])).toEqual([
        ['assign', 1, 'failed'],
        ['assign', 2, 'failed'],
        ['assign', 3, 'failed'],
      ]);
      expect(failed.error).toBe(
        'step "assign" failed after 3 attempts: no active sales user to assign; create a user with role sales',
      );

      await define({ key: 'assign_only', name: 'Assign', config: config(5, 400) }).expect(201);
      const recovering = await app
        .http()
        .post('/api/workflow/runs')
        .set(auth(adminToken))
        .send({ definitionKey: 'assign_only', ...subject })
        .expect(201);
      await until(async () => {
        const run = await getRun(recovering.body.id);
        return run.steps.length ? true : undefined;
      }, 'a first failed attempt');
      await database.sql(`UPDATE users SET is_active = true WHERE role = 'sales'`);
      const recovered = await runReaches(recovering.body.id, 'completed');
      expect(recovered.steps[0]).toMatchObject({ attempt: 1, status: 'failed' });
      expect(recovered.steps.at(-2)).toMatchObject({ stepKey: 'assign', status: 'completed' });
    } finally {
      await database.sql(`UPDATE users SET is_active = true WHERE role = 'sales'`);
    }
  });

  it('fails a run at once when a step cannot succeed (the subject is in the wrong state)', async () => {
    await define({
      key: 'enrol_now',
      name: 'Enrol',
      config: {
        start: 'enrol',
        steps: {
          enrol: {
            type: 'action',
            action: 'lms.set_application_status',
            params: { status: 'enrolled' },
            next: 'done',
          },
          ...END,
        },
      },
    }).expect(201);
    const { applicationId } = await applyAsNewStudent();
    const run = await app
      .http()
      .post('/api/workflow/runs')
      .set(auth(adminToken))
      .send({ definitionKey: 'enrol_now', subjectType: 'application', subjectId: applicationId })
      .expect(201);
    const failed = await runReaches(run.body.id, 'failed');
    expect(failed.steps).toHaveLength(1);
    expect(failed.error).toMatch(
      /step "enrol" failed after 1 attempt: application is .*; cannot move to enrolled/,
    );
  });

  it('cancels a waiting run; signals and cancels on finished runs are 409s', async () => {
    await define({
      key: 'approval',
      name: 'Approval',
      config: {
        start: 'ask',
        steps: { ask: { type: 'wait_for_signal', event: 'approved', next: 'done' }, ...END },
      },
    }).expect(201);
    const run = (await start('approval').expect(201)).body;
    await runReaches(run.id, 'waiting', 'ask');
    await signal(run.id, 'approved', 'not an object' as never).expect(400);
    await app
      .http()
      .post(`/api/workflow/runs/${run.id}/cancel`)
      .set(auth(sales[0].token))
      .expect(403);
    const cancelled = await app
      .http()
      .post(`/api/workflow/runs/${run.id}/cancel`)
      .set(auth(adminToken))
      .expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    const history = await getRun(run.id);
    expect(history.steps.map((step) => step.status)).toEqual(['cancelled']);
    await signal(run.id, 'approved').expect(409);
    await app.http().post(`/api/workflow/runs/${run.id}/cancel`).set(auth(adminToken)).expect(409);
  });

  it('takes a signal for a run that reached the wait step but was not parked on it yet', async () => {
    const { rows } = await database.sql(
      `INSERT INTO workflow_runs (definition_id, definition_key, definition_version, status, subject_type, subject_id, current_step, due_at)
       SELECT id, key, version, 'running', 'test', 'early-signal', 'ask', now() + interval '1 hour'
         FROM workflow_definitions WHERE key = 'approval' RETURNING id`,
    );
    await signal(rows[0].id, 'approved', { by: 'early' }).expect(200);
    const done = await runReaches(rows[0].id, 'completed');
    expect(done.steps.map((step) => [step.stepKey, step.status])).toEqual([
      ['ask', 'completed'],
      ['done', 'completed'],
    ]);
    expect(done.context).toEqual({ signals: { approved: { by: 'early' } } });
  });

  it('starts one run per event even when the relay delivers the event twice', async () => {
    const triggers = app.app.get(WorkflowTriggers);
    const message = Object.assign(new OutboxMessage(), {
      id: '11111111-1111-4111-8111-111111111111',
      channel: OutboxChannel.Event,
      topic: 'application.created',
      payload: { subject: { type: 'application', id: 'not-a-real-application' }, data: {} },
      audience: [],
    });
    await triggers.dispatch(message);
    await triggers.dispatch(message);
    const runs = await database.sql(
      `SELECT count(*)::int AS n FROM workflow_runs WHERE trigger_message_id = $1`,
      [message.id],
    );
    expect(runs.rows).toEqual([{ n: 1 }]);
  });

  it('the sweep re-queues a run whose job was lost (Redis restarted empty)', async () => {
    await define({
      key: 'sweepable',
      name: 'Sweepable',
      config: {
        start: 'mark',
        steps: {
          mark: { type: 'action', action: 'context.set', params: { swept: true }, next: 'done' },
          ...END,
        },
      },
    }).expect(201);
    // A run as Postgres knows it, whose queued job never reached (or was lost from) Redis.
    const { rows } = await database.sql(
      `INSERT INTO workflow_runs (definition_id, definition_key, definition_version, subject_type, subject_id, current_step, due_at)
       SELECT id, key, version, 'test', 'lost-job', 'mark', now() - interval '2 minutes'
         FROM workflow_definitions WHERE key = 'sweepable' RETURNING id`,
    );
    const handler = app.app.get(WorkflowJobHandler);
    expect(await handler.handle({ name: SWEEP_JOB, data: {} } as Job)).toEqual({ requeued: 1 });
    const swept = await runReaches(rows[0].id, 'completed');
    expect(swept.context).toEqual({ swept: true });
    expect(await handler.handle({ name: SWEEP_JOB, data: {} } as Job)).toEqual({ requeued: 0 });
  });

  it('the step that parks or finishes a run ends its job row in the same statement; a job with nothing due leaves it to the worker', async () => {
    await define({
      key: 'ends_job_rows',
      name: 'Ends job rows',
      config: {
        start: 'mark',
        steps: {
          mark: { type: 'action', action: 'context.set', params: { marked: true }, next: 'pause' },
          pause: { type: 'wait', durationMs: 60_000, next: 'done' },
          ...END,
        },
      },
    }).expect(201);
    const { rows } = await database.sql(
      `INSERT INTO workflow_runs (definition_id, definition_key, definition_version, subject_type, subject_id, current_step, due_at)
       SELECT id, key, version, 'test', 'job-rows', 'mark', now()
         FROM workflow_definitions WHERE key = 'ends_job_rows' RETURNING id`,
    );
    const runId = rows[0].id as string;
    // Job rows the relay leaves alone for now (due in an hour): this test is their worker.
    const jobRow = async () =>
      (
        await database.sql(
          `INSERT INTO outbox_messages (channel, topic, payload, status, handed_off_at, next_attempt_at)
           VALUES ('job', $1, $2, 'handed_off', now(), now() + interval '1 hour') RETURNING id`,
          [WORKFLOW_QUEUE, { runId }],
        )
      ).rows[0].id as string;
    const status = async (id: string) =>
      (await database.sql(`SELECT status::text FROM outbox_messages WHERE id = $1`, [id])).rows[0]
        .status;
    const engine = app.app.get(WorkflowEngine);

    const parking = await jobRow();
    expect(await engine.advance(runId, parking)).toBe(true);
    expect(await status(parking)).toBe('dispatched');
    expect(await getRun(runId)).toMatchObject({ status: 'waiting', currentStep: 'pause' });

    const early = await jobRow();
    expect(await engine.advance(runId, early)).toBe(false);
    expect(await status(early)).toBe('handed_off');

    await database.sql(`UPDATE workflow_runs SET due_at = now() WHERE id = $1`, [runId]);
    const finishing = await jobRow();
    const handled = await app.app
      .get(WorkflowJobHandler)
      .handle({ id: finishing, name: WORKFLOW_QUEUE, data: { runId } } as Job);
    expect(handled).toBe(OUTBOX_ROW_ENDED);
    expect(await status(finishing)).toBe('dispatched');
    expect(await getRun(runId)).toMatchObject({ status: 'completed', context: { marked: true } });
  });

  it('a run cancelled while a step executes stays cancelled: the step, read without a lock, writes nothing', async () => {
    let stepRunning!: () => void;
    const running = new Promise<void>((resolve) => (stepRunning = resolve));
    let finishStep!: () => void;
    const finished = new Promise<void>((resolve) => (finishStep = resolve));
    app.app.get(WorkflowActions).register('test.hold', {
      pure: true,
      run: async () => {
        stepRunning();
        await finished;
        return { held: true };
      },
    });
    await define({
      key: 'held',
      name: 'Held mid-step',
      config: {
        start: 'first',
        steps: {
          first: { type: 'action', action: 'context.set', params: { first: 1 }, next: 'hold' },
          hold: { type: 'action', action: 'test.hold', next: 'done' },
          ...END,
        },
      },
    }).expect(201);
    const run = (await start('held').expect(201)).body;
    await running;
    await app.http().post(`/api/workflow/runs/${run.id}/cancel`).set(auth(adminToken)).expect(200);
    finishStep();
    const workflowJobs = app.app.get(QueueRegistry).get(WORKFLOW_QUEUE)!;
    await until(async () => (await workflowJobs.getActiveCount()) === 0, 'the job to finish');

    const after = await getRun(run.id);
    expect(after).toMatchObject({ status: 'cancelled', currentStep: 'hold' });
    expect(after.context).toEqual({ first: 1 });
    expect(after.steps.map((step) => [step.stepKey, step.status])).toEqual([
      ['first', 'completed'],
    ]);
  });

  it('shows a run and its steps as of one moment while steps are being recorded', async () => {
    await define({
      key: 'parked',
      name: 'Parked',
      config: {
        start: 'ask',
        steps: { ask: { type: 'wait_for_signal', event: 'go', next: 'done' }, ...END },
      },
    }).expect(201);
    const { id } = (await start('parked').expect(201)).body as { id: string };
    const parked = await runReaches(id, 'waiting', 'ask');
    // Each statement records one more attempt and the run's attempt with it, as a failure does.
    const offset = parked.steps.length - parked.attempt;
    let writing = true;
    const writer = (async () => {
      for (let n = 0; writing && n < 2000; n++)
        await database.sql(
          `WITH run AS (UPDATE workflow_runs SET attempt = attempt + 1 WHERE id = $1
                        RETURNING id, step_no, attempt)
           INSERT INTO workflow_step_runs (run_id, step_no, step_key, step_type, attempt, status, started_at, finished_at)
           SELECT id, step_no, 'ask', 'wait_for_signal', attempt, 'failed', now(), now() FROM run`,
          [id],
        );
    })();
    const seen: number[] = [];
    try {
      for (let n = 0; n < 100; n++) {
        const run = await getRun(id);
        seen.push(run.steps.length - run.attempt);
      }
    } finally {
      writing = false;
      await writer;
    }
    expect(new Set(seen)).toEqual(new Set([offset]));
  });

  it('records every step execution once: no duplicate run + step + attempt', async () => {
    const duplicates = await database.sql(
      `SELECT run_id, step_no, attempt FROM workflow_step_runs
        GROUP BY run_id, step_no, attempt HAVING count(*) > 1`,
    );
    expect(duplicates.rows).toEqual([]);
  });
});
