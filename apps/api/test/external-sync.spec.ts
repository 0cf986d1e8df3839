import { QueueRegistry } from '@mas/jobs';
import { EXPECTED_SCHEDULER_IDS, registeredSchedulerIds } from '@mas/testing/job-schedulers.js';
import { responseValidatorOf } from '@mas/testing/openapi/response-validator.js';
import { FakePartnerPlatform } from '@mas/testing/fake-partner-platform.js';
import { assignApplicationLead } from '@mas/testing/leads.js';
import { assessments, attempts, enrollments, learners } from '@mas/testing/partner-records.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import {
  login,
  startTestApp,
  stopWithQueues,
  TEST_ADMIN,
  type TestApp,
} from '@mas/testing/test-app.js';
import { until } from '@mas/testing/until.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';
import { pauseDefaultWorkflows } from '@mas/testing/workflows.js';
import { createCourseBatch } from '@mas/testing/catalog.js';

interface ResourceStateBody {
  resource: string;
  caughtUpAt: string | null;
  itemsSynced: number;
}
interface SyncStateBody {
  sources: { source: string; enabled: boolean; running: boolean; resources: ResourceStateBody[] }[];
}

/**
 * The sync through the API: admins see and start runs (carried out by the app's own worker, from
 * the real fake platforms), students' progress joins their applications with what was synced.
 */
describe('external sync over HTTP', () => {
  let database: TestDatabase;
  let app: TestApp;
  let learn: FakePartnerPlatform;
  let test: FakePartnerPlatform;
  let adminToken: string;
  let validate: ReturnType<typeof responseValidatorOf>;
  let student: TestUser;
  let owningRep: TestUser;
  let otherRep: TestUser;
  let otherStudent: TestUser;
  let expert: TestUser;
  let applicationId: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    [learn, test] = await Promise.all([
      FakePartnerPlatform.start('learn-secret'),
      FakePartnerPlatform.start('test-secret'),
    ]);
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database, {
      OUTBOX_POLL_MS: '20',
      MRLEARN_URL: learn.url,
      MRLEARN_TOKEN: 'learn-secret',
      MRTEST_URL: test.url,
      MRTEST_TOKEN: 'test-secret',
      SYNC_PAGE_SIZE: '2',
      SYNC_RETRY_BASE_MS: '20',
    });
    validate = responseValidatorOf((await app.http().get('/api/docs-json').expect(200)).body);
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    await pauseDefaultWorkflows(app, adminToken);
    [student, owningRep, otherRep, otherStudent, expert] = await Promise.all(
      ['student', 'sales', 'sales', 'student', 'expert'].map((role) =>
        createUserWithRole(app, role, adminToken),
      ),
    );
    const batchId = await createCourseBatch(
      app,
      adminToken,
      { code: 'C1', title: 'Course one', price: '100.00' },
      { name: 'Sync', startsOn: '2031-01-01', capacity: 10 },
    );
    const applied = await app
      .http()
      .post('/api/lms/applications')
      .set(auth(student.token))
      .send({ batchId })
      .expect(201);
    applicationId = applied.body.id as string;
    await assignApplicationLead(database, applicationId, owningRep.id);

    // L1 is the student (email in another case); E1 is in C1 (applied), E4 in C1 of someone else,
    // E2... of L2. Attempt T1 is the student's.
    learn.put('learners', [
      { ...learners(1)[0], email: student.email.toUpperCase() },
      ...learners(3, 2),
    ]);
    learn.put('enrollments', [
      ...enrollments(4),
      { ...enrollments(1, 10)[0], learner_id: 'L1', course_code: 'C9' },
    ]);
    test.put('assessments', assessments(4));
    test.put('attempts', [{ ...attempts(1)[0], learner_email: student.email }, ...attempts(2, 2)]);
  });

  afterAll(async () => {
    await stopWithQueues(app);
    await database?.drop();
    await Promise.all([learn?.close(), test?.close()]);
  });

  const syncState = async () =>
    (await app.http().get('/api/admin/sync').set(auth(adminToken)).expect(200))
      .body as SyncStateBody;

  it('with a source configured, the external-sync schedule is registered at SYNC_INTERVAL_MINUTES', async () => {
    const ids = await until(async () => {
      const found = await registeredSchedulerIds(app.app);
      return found.includes('external-sync-every-interval') ? found : undefined;
    }, 'the external-sync schedule');
    expect(ids).toEqual([...EXPECTED_SCHEDULER_IDS, 'external-sync-every-interval'].sort());
    const [scheduler] = await app.app.get(QueueRegistry).get('external-sync')!.getJobSchedulers();
    expect(scheduler).toMatchObject({ pattern: '*/15 * * * *', tz: 'UTC', name: 'external-sync' });
  });

  it('GET /api/admin/sync: both sources on, nothing synced yet (admin only)', async () => {
    const state = await syncState();
    expect(validate('GET /api/admin/sync', 200, state)).toEqual([]);
    expect(
      state.sources.map(({ source, enabled, running }) => ({ source, enabled, running })),
    ).toEqual([
      { source: 'mrlearn', enabled: true, running: false },
      { source: 'mrtest', enabled: true, running: false },
    ]);
    expect(
      state.sources[0].resources.map((r) => [r.resource, r.caughtUpAt, r.itemsSynced]),
    ).toEqual([
      ['learners', null, 0],
      ['enrollments', null, 0],
    ]);
    await app.http().get('/api/admin/sync').set(auth(student.token)).expect(403);
  });

  it('POST /api/admin/sync/:source/runs queues a run that the worker carries out', async () => {
    for (const source of ['mrlearn', 'mrtest']) {
      const queued = await app
        .http()
        .post(`/api/admin/sync/${source}/runs`)
        .set(auth(adminToken))
        .expect(202);
      expect(queued.body).toEqual({ source, queued: true });
      expect(validate('POST /api/admin/sync/{source}/runs', 202, queued.body)).toEqual([]);
    }
    const state = await until(async () => {
      const current = await syncState();
      const all = current.sources.flatMap((source) => source.resources);
      return all.every((resource) => resource.caughtUpAt) ? current : undefined;
    }, 'both sources caught up');
    expect(
      state.sources.flatMap((s) => s.resources.map((r) => [r.resource, r.itemsSynced])),
    ).toEqual([
      ['learners', 4],
      ['enrollments', 5],
      ['assessments', 4],
      ['attempts', 3],
    ]);
    // Bearer-authenticated, paged at SYNC_PAGE_SIZE.
    expect(learn.served('learners').map((r) => [r.status, r.limit])).toEqual([
      [200, 2],
      [200, 2],
    ]);
  });

  it('refuses an unknown source (400) and non-admins (403)', async () => {
    const unknown = await app
      .http()
      .post('/api/admin/sync/mrnothing/runs')
      .set(auth(adminToken))
      .expect(400);
    expect(unknown.body).toMatchObject({
      message: 'source must be one of mrlearn, mrtest',
      details: [{ field: 'source', message: 'must be one of mrlearn, mrtest' }],
    });
    expect(validate('POST /api/admin/sync/{source}/runs', 400, unknown.body)).toEqual([]);
    await app.http().post('/api/admin/sync/mrlearn/runs').set(auth(owningRep.token)).expect(403);
  });

  it("a student's progress: applications with their enrollments, other enrollments, attempts", async () => {
    const own = await app
      .http()
      .get(`/api/lms/students/${student.id}/progress`)
      .set(auth(student.token))
      .expect(200);
    expect(validate('GET /api/lms/students/{userId}/progress', 200, own.body)).toEqual([]);
    expect(own.body).toMatchObject({
      userId: student.id,
      applications: [
        {
          id: applicationId,
          courseCode: 'C1',
          status: 'submitted',
          enrollments: [{ id: 'E1', courseCode: 'C1', progress: 1, status: 'active' }],
        },
      ],
      otherEnrollments: [{ id: 'E10', courseCode: 'C9', progress: 10, status: 'completed' }],
      attempts: [
        {
          id: 'T1',
          assessmentId: 'A2',
          assessmentTitle: 'Assessment 2',
          score: '1.50',
          maxScore: '100.00',
        },
      ],
    });
    expect(own.body.syncedAt.mrlearn).toEqual(expect.any(String));

    for (const reader of [adminToken, owningRep.token]) {
      const read = await app
        .http()
        .get(`/api/lms/students/${student.id}/progress`)
        .set(auth(reader))
        .expect(200);
      expect(read.body).toEqual(own.body);
    }
  });

  it('is a 404 for a rep without the student’s lead, another student and an unknown id; 403 for other roles', async () => {
    for (const outsider of [otherRep.token, otherStudent.token]) {
      const refused = await app
        .http()
        .get(`/api/lms/students/${student.id}/progress`)
        .set(auth(outsider))
        .expect(404);
      expect(refused.body.message).toBe('student not found');
    }
    await app
      .http()
      .get('/api/lms/students/00000000-0000-4000-8000-000000000000/progress')
      .set(auth(adminToken))
      .expect(404);
    await app
      .http()
      .get(`/api/lms/students/${student.id}/progress`)
      .set(auth(expert.token))
      .expect(403);
    const malformed = await app
      .http()
      .get('/api/lms/students/not-a-uuid/progress')
      .set(auth(adminToken))
      .expect(400);
    expect(malformed.body.message).toBe('userId must be a UUID');
  });

  it('exposes items synced, lag and failures as metrics', async () => {
    const metrics = (await app.http().get('/api/metrics').expect(200)).text;
    expect(metrics).toContain(
      'mas_external_sync_items_synced{source="mrlearn",resource="enrollments"} 5',
    );
    expect(metrics).toContain(
      'mas_external_sync_failed_runs{source="mrtest",resource="attempts"} 0',
    );
    expect(metrics).toMatch(
      /mas_external_sync_lag_seconds\{source="mrlearn",resource="learners"\} \d/,
    );
  });

  it('a run that fails records the error, counts it in the metrics, and the job fails', async () => {
    test.fault(() => ({ status: 500, body: 'down' }));
    test.put('assessments', assessments(1, 9));
    await app.http().post('/api/admin/sync/mrtest/runs').set(auth(adminToken)).expect(202);
    const failed = await until(
      async () => {
        const state = await syncState();
        const assessmentsState = state.sources[1].resources[0] as ResourceStateBody & {
          lastError: string | null;
          consecutiveFailures: number;
        };
        return assessmentsState.lastError ? assessmentsState : undefined;
      },
      'the failure recorded',
      30_000,
    );
    expect(failed.lastError).toMatch(/^GET \/v1\/assessments failed 5 times; last: HTTP 500 down$/);
    expect(failed.consecutiveFailures).toBe(1);
    const metrics = (await app.http().get('/api/metrics').expect(200)).text;
    expect(metrics).toContain(
      'mas_external_sync_failed_runs{source="mrtest",resource="assessments"} 1',
    );
    const queue = app.app.get(QueueRegistry).get('external-sync')!;
    const [job] = await until(async () => {
      const jobs = await queue.getFailed();
      return jobs.length ? jobs : undefined;
    }, 'the failed job');
    expect(job.failedReason).toMatch(
      /^external sync failed: mrtest\/assessments: GET \/v1\/assessments failed 5 times/,
    );
    test.clearFaults();
  });
});
