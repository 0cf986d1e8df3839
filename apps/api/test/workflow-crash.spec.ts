import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import {
  login,
  startTestApp,
  stopWithQueues,
  TEST_ADMIN,
  type TestApp,
  testEnv,
} from '@mas/testing/test-app.js';
import { until } from '@mas/testing/until.js';
import { createUserWithRole } from '@mas/testing/users.js';

const MAIN = fileURLToPath(new URL('../../../dist/apps/api/src/main.js', import.meta.url));

/**
 * Both processes use the test default BullMQ prefix, one per test database. A real worker process is killed (SIGKILL) in the middle of a step; a second worker takes the
 * job over once the dead one's lock expires, and the run completes with each step applied once.
 */
describe('workflow: a worker killed mid-run', () => {
  let database: TestDatabase;
  let api: TestApp;
  let holder: Client | undefined;
  const workers: ChildProcess[] = [];

  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        ...testEnv(database, {
          APP_ROLE: 'worker',
          WORKER_HEALTH_PORT: '0',
          WORKER_LOCK_DURATION_MS: '1000',
          LOG_LEVEL: 'warn',
        }),
      },
      stdio: 'ignore',
    });
    workers.push(child);
    return child;
  }

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    api = await startTestApp(database, {
      APP_ROLE: 'api',
      OUTBOX_POLL_MS: '20',
    });
  });

  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await holder?.end().catch(() => undefined);
    await stopWithQueues(api);
    await database?.drop();
  });

  it('resumes at the interrupted step without repeating a completed one', async () => {
    const adminToken = await login(api, TEST_ADMIN.email, TEST_ADMIN.password);
    const auth = { Authorization: `Bearer ${adminToken}` };
    await createUserWithRole(api, 'sales', adminToken);
    const student = await createUserWithRole(api, 'student', adminToken);
    const course = await api
      .http()
      .post('/api/lms/courses')
      .set(auth)
      .send({ code: 'MAS-201', title: 'Analytics', price: '900.00' })
      .expect(201);
    const batch = await api
      .http()
      .post('/api/lms/batches')
      .set(auth)
      .send({
        courseId: course.body.id,
        name: 'Autumn',
        startsOn: '2031-09-01',
        capacity: 30,
        price: '900.00',
      })
      .expect(201);
    const applicationId = (
      await api
        .http()
        .post('/api/lms/applications')
        .set({ Authorization: `Bearer ${student.token}` })
        .send({ batchId: batch.body.id })
        .expect(201)
    ).body.id as string;

    const firstWorker = startWorker();
    const runId = await until(
      async () => {
        const { rows } = await database.sql(
          `SELECT id FROM workflow_runs WHERE subject_id = $1 AND status = 'waiting'`,
          [applicationId],
        );
        return rows[0]?.id as string | undefined;
      },
      'the review run to wait for its signal',
      30_000,
    );

    // Hold the application's row lock: the `accept` step blocks inside its transaction.
    holder = new Client({ connectionString: database.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM applications WHERE id = $1 FOR UPDATE', [applicationId]);
    await api
      .http()
      .post(`/api/workflow/runs/${runId}/signal`)
      .set(auth)
      .send({ event: 'reviewed', payload: { decision: 'accepted' } })
      .expect(200);
    await until(async () => {
      const { rows } = await database.sql(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
            AND wait_event_type = 'Lock' AND query LIKE '%applications%'`,
      );
      return rows.length ? true : undefined;
    }, 'the accept step to block on the application lock');
    const midStep = await database.sql(
      `SELECT status, current_step FROM workflow_runs WHERE id = $1`,
      [runId],
    );
    expect(midStep.rows).toEqual([{ status: 'running', current_step: 'accept' }]);

    firstWorker.kill('SIGKILL');
    await new Promise((resolve) => firstWorker.once('exit', resolve));
    await holder.query('ROLLBACK');
    await holder.end();
    holder = undefined;
    // The killed worker's transaction never committed: nothing of `accept` happened.
    const untouched = await database.sql(`SELECT status FROM applications WHERE id = $1`, [
      applicationId,
    ]);
    expect(untouched.rows).toEqual([{ status: 'under_review' }]);

    startWorker();
    await until(
      async () => {
        const { rows } = await database.sql(`SELECT status FROM workflow_runs WHERE id = $1`, [
          runId,
        ]);
        return rows[0].status === 'completed' ? true : undefined;
      },
      'the second worker to finish the run',
      30_000,
    );

    const steps = await database.sql(
      `SELECT step_no, step_key, attempt, status FROM workflow_step_runs WHERE run_id = $1 ORDER BY step_no, attempt`,
      [runId],
    );
    expect(
      steps.rows.map((step) => [step.step_no, step.step_key, step.attempt, step.status]),
    ).toEqual([
      [1, 'assign_owner', 1, 'completed'],
      [2, 'start_review', 1, 'completed'],
      [3, 'email_applicant', 1, 'completed'],
      [4, 'wait_for_review', 1, 'completed'],
      [5, 'decide', 1, 'completed'],
      [6, 'accept', 1, 'completed'],
      [7, 'done', 1, 'completed'],
    ]);
    const effects = await database.sql(
      `SELECT
         (SELECT status FROM applications WHERE id = $1::uuid) AS application,
         (SELECT count(*)::int FROM outbox_messages WHERE channel = 'email'
            AND topic = 'application_under_review' AND payload ->> 'to' = $2) AS review_emails,
         (SELECT count(*)::int FROM outbox_messages WHERE channel = 'event'
            AND topic = 'application.status_changed' AND payload #>> '{subject,id}' = $1::text
            AND payload #>> '{data,to}' = 'accepted') AS acceptances,
         (SELECT count(*)::int FROM outbox_messages WHERE channel = 'realtime'
            AND topic = 'lead.assigned') AS assignments`,
      [applicationId, student.email],
    );
    expect(effects.rows).toEqual([
      { application: 'accepted', review_emails: 1, acceptances: 1, assignments: 1 },
    ]);
  });
});
