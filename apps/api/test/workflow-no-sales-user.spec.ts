import { WorkflowEngine } from '@mas/workflow';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import {
  login,
  startTestApp,
  stopWithQueues,
  TEST_ADMIN,
  type TestApp,
} from '@mas/testing/test-app.js';
import { until } from '@mas/testing/until.js';
import { createUserWithRole } from '@mas/testing/users.js';
import { createCourseBatch } from '@mas/testing/catalog.js';

interface RunBody {
  id: string;
  status: string;
  currentStep: string;
  attempt: number;
  error: string | null;
  context: { owner?: { id: string } };
  steps: { stepKey: string; attempt: number; status: string; error: string | null }[];
}

const NO_SALES_USER = 'no active sales user to assign; create a user with role sales';

describe('workflow: the application review with no sales user to assign', () => {
  let database: TestDatabase;
  let app: TestApp;
  let adminToken: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database, { OUTBOX_POLL_MS: '20' });
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
  });

  afterAll(async () => {
    await stopWithQueues(app);
    await database?.drop();
  });

  const getRun = async (id: string): Promise<RunBody> =>
    (await app.http().get(`/api/workflow/runs/${id}`).set(auth(adminToken)).expect(200)).body;

  async function applyAsNewStudent(): Promise<string> {
    const batchId = await createCourseBatch(
      app,
      adminToken,
      { code: 'NOSALES-1', title: 'Nobody to assign', price: '10.00' },
      { name: 'B', startsOn: '2031-03-01', capacity: 5 },
    );
    const student = await createUserWithRole(app, 'student', adminToken);
    const applied = await app
      .http()
      .post('/api/lms/applications')
      .set(auth(student.token))
      .send({ batchId })
      .expect(201);
    return applied.body.id as string;
  }

  it('records the cause and the fix on the run and warns in the log; the run recovers once a sales user exists', async () => {
    const sales = await database.sql(`SELECT count(*)::int AS n FROM users WHERE role = 'sales'`);
    expect(sales.rows).toEqual([{ n: 0 }]);
    const applicationId = await applyAsNewStudent();

    const failedOnce = await until(async () => {
      const page = await app
        .http()
        .get(`/api/workflow/runs?definitionKey=application_review&subjectId=${applicationId}`)
        .set(auth(adminToken))
        .expect(200);
      const found = page.body.items[0] as { id: string } | undefined;
      const run = found && (await getRun(found.id));
      return run?.steps.length ? run : undefined;
    }, 'a first failed assign_owner attempt');

    // Retried by the step's policy (5 attempts, a minute apart and doubling): not failed yet.
    expect(failedOnce).toMatchObject({
      status: 'pending',
      currentStep: 'assign_owner',
      attempt: 2,
      error: NO_SALES_USER,
    });
    expect(failedOnce.steps).toEqual([
      expect.objectContaining({
        stepKey: 'assign_owner',
        attempt: 1,
        status: 'failed',
        error: NO_SALES_USER,
      }),
    ]);
    const warnings = app.logs
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((entry) => entry.level === 40 && entry.msg.includes(failedOnce.id));
    expect(warnings.map((entry) => entry.msg)).toEqual([
      `workflow run ${failedOnce.id} (application_review), step "assign_owner", attempt 1: ${NO_SALES_USER}`,
    ]);

    const seller = await createUserWithRole(app, 'sales', adminToken);
    // The retry is a minute away: make it due and run it now, as its job would.
    await database.sql(`UPDATE workflow_runs SET due_at = now() WHERE id = $1`, [failedOnce.id]);
    await app.app.get(WorkflowEngine).advance(failedOnce.id);

    const assigned = await getRun(failedOnce.id);
    expect(assigned).toMatchObject({
      status: 'waiting',
      currentStep: 'wait_for_review',
      error: null,
      context: { owner: { id: seller.id } },
    });
    expect(assigned.steps.slice(0, 2)).toEqual([
      expect.objectContaining({ stepKey: 'assign_owner', attempt: 1, status: 'failed' }),
      expect.objectContaining({ stepKey: 'assign_owner', attempt: 2, status: 'completed' }),
    ]);
    const lead = await database.sql(
      `SELECT owner_id FROM mas_crm.leads WHERE application_id = $1`,
      [applicationId],
    );
    expect(lead.rows).toEqual([{ owner_id: seller.id }]);
  });
});
