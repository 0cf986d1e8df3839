import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import {
  login,
  startTestApp,
  stopWithQueues,
  TEST_ADMIN,
  type TestApp,
} from '@mas/testing/test-app.js';
import { fund } from '@mas/testing/ledger.js';
import { assignApplicationLead } from '@mas/testing/leads.js';
import { createSlot } from '@mas/testing/slots.js';
import { until } from '@mas/testing/until.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';
import { pauseDefaultWorkflows } from '@mas/testing/workflows.js';

interface SlotBody {
  id: string;
  studentId: string | null;
}

/** A run that waits for `reviewed`, then accepts its application. */
const REVIEW_BY_SIGNAL = {
  key: 'scope_review',
  name: 'Review by signal',
  config: {
    start: 'wait',
    steps: {
      wait: { type: 'wait_for_signal', event: 'reviewed', next: 'under_review' },
      under_review: {
        type: 'action',
        action: 'lms.set_application_status',
        params: { status: 'under_review' },
        next: 'done',
      },
      done: { type: 'end' },
    },
  },
};

describe('privacy and scope', () => {
  let database: TestDatabase;
  let app: TestApp;
  let adminToken: string;
  const auth = (user: TestUser | string) => ({
    Authorization: `Bearer ${typeof user === 'string' ? user : user.token}`,
  });

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database, { OUTBOX_POLL_MS: '20' });
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
  });

  afterAll(async () => {
    await stopWithQueues(app);
    await database?.drop();
  });

  describe('who booked a slot', () => {
    let mentor: TestUser;
    let otherMentor: TestUser;
    let booker: TestUser;
    let otherStudent: TestUser;
    let salesUser: TestUser;
    let slot: { id: string };

    beforeAll(async () => {
      [mentor, otherMentor, booker, otherStudent, salesUser] = await Promise.all(
        ['expert', 'expert', 'student', 'student', 'sales'].map((role) =>
          createUserWithRole(app, role, adminToken),
        ),
      );
      await fund(app, adminToken, booker.id, 5);
      slot = await createSlot(app, mentor.token, { priceTokens: 2 });
      const booked = await app
        .http()
        .post(`/api/mentorship/slots/${slot.id}/book`)
        .set(auth(booker))
        .expect(200);
      expect(booked.body.studentId).toBe(booker.id);
    });

    const getAs = async (viewer: TestUser | string): Promise<SlotBody> =>
      (await app.http().get(`/api/mentorship/slots/${slot.id}`).set(auth(viewer)).expect(200)).body;

    const listAs = async (viewer: TestUser | string): Promise<SlotBody> => {
      const page = await app
        .http()
        .get('/api/mentorship/slots')
        .query({ mentorId: mentor.id, limit: 100 })
        .set(auth(viewer))
        .expect(200);
      const found = (page.body.items as SlotBody[]).find((item) => item.id === slot.id);
      if (!found) throw new Error('the booked slot is missing from the list');
      return found;
    };

    it('shows studentId to that student, the mentor and admins, in the list and one slot', async () => {
      for (const viewer of [booker, mentor, adminToken]) {
        expect((await getAs(viewer)).studentId).toBe(booker.id);
        expect((await listAs(viewer)).studentId).toBe(booker.id);
      }
    });

    it('shows studentId: null to another student, another mentor and sales, keeping the shape', async () => {
      const own = await getAs(booker);
      for (const viewer of [otherStudent, otherMentor, salesUser]) {
        const single = await getAs(viewer);
        expect(single).toEqual({ ...own, studentId: null });
        expect((await listAs(viewer)).studentId).toBeNull();
      }
    });

    it('documents the rule on the studentId field', async () => {
      const docs = await app.http().get('/api/docs-json').expect(200);
      const field = docs.body.components.schemas.SlotResponse.properties.studentId;
      expect(field.description).toMatch(/only to that student, to the slot mentor and to admins/);
    });

    it('sends realtime slot events, which carry studentId, only to the mentor and that student', async () => {
      const { rows } = await database.sql(
        `SELECT topic, audience, payload -> 'data' ->> 'studentId' AS "studentId" FROM outbox_messages
          WHERE channel = 'realtime' AND payload -> 'data' ->> 'slotId' = $1`,
        [slot.id],
      );
      expect(rows).toEqual([
        {
          topic: 'slot.booked',
          audience: [`user:${mentor.id}`, `user:${booker.id}`],
          studentId: booker.id,
        },
      ]);
    });
  });

  describe('applications and their workflow runs follow lead visibility', () => {
    let head: TestUser;
    let teamRep: TestUser;
    let outsider: TestUser;
    let otherHead: TestUser;
    let batchId: string;

    const http = () => app.http();
    const signal = (runId: string, user: TestUser | string) =>
      http()
        .post(`/api/workflow/runs/${runId}/signal`)
        .set(auth(user))
        .send({ event: 'reviewed', payload: { decision: 'accepted' } });
    const patchStatus = (applicationId: string, user: TestUser | string, status: string) =>
      http()
        .patch(`/api/lms/applications/${applicationId}/status`)
        .set(auth(user))
        .send({ status });

    const stateOf = async (applicationId: string, runId: string) =>
      (
        await database.sql(
          `SELECT application.status AS "applicationStatus", run.status AS "runStatus",
                  run.current_step AS "currentStep",
                  (SELECT array_agg(step.step_key || ':' || step.status ORDER BY step.step_no)
                     FROM workflow_step_runs step WHERE step.run_id = run.id) AS steps
             FROM applications application, workflow_runs run
            WHERE application.id = $1 AND run.id = $2`,
          [applicationId, runId],
        )
      ).rows[0];

    /** An application whose lead `owner` owns, with a run of REVIEW_BY_SIGNAL waiting on it. */
    async function ownedApplication(owner: TestUser): Promise<{ id: string; runId: string }> {
      const student = await createUserWithRole(app, 'student', adminToken);
      const applied = await http()
        .post('/api/lms/applications')
        .set(auth(student))
        .send({ batchId })
        .expect(201);
      await assignApplicationLead(database, applied.body.id, owner.id);
      const run = await http()
        .post('/api/workflow/runs')
        .set(auth(adminToken))
        .send({
          definitionKey: REVIEW_BY_SIGNAL.key,
          subjectType: 'application',
          subjectId: applied.body.id,
        })
        .expect(201);
      await until(async () => {
        const state = await stateOf(applied.body.id, run.body.id);
        return state.runStatus === 'waiting' ? state : undefined;
      }, 'the run to wait for its signal');
      return { id: applied.body.id, runId: run.body.id };
    }

    beforeAll(async () => {
      await pauseDefaultWorkflows(app, adminToken);
      await http()
        .post('/api/workflow/definitions')
        .set(auth(adminToken))
        .send(REVIEW_BY_SIGNAL)
        .expect(201);
      [head, teamRep, outsider, otherHead] = await Promise.all(
        ['sales_head', 'sales', 'sales', 'sales_head'].map((role) =>
          createUserWithRole(app, role, adminToken),
        ),
      );
      await http()
        .patch(`/api/users/${teamRep.id}`)
        .set(auth(adminToken))
        .send({ salesHeadId: head.id })
        .expect(200);
      const course = await http()
        .post('/api/lms/courses')
        .set(auth(adminToken))
        .send({ code: 'MAS-101', title: 'Data Science', price: '100.00' })
        .expect(201);
      const batch = await http()
        .post('/api/lms/batches')
        .set(auth(adminToken))
        .send({
          courseId: course.body.id,
          name: 'Scope',
          startsOn: '2031-01-01',
          capacity: 100,
          price: '100.00',
        })
        .expect(201);
      batchId = batch.body.id;
    });

    it("another rep's signal, status change and reads are 404s, and nothing changes", async () => {
      const application = await ownedApplication(teamRep);
      const before = await stateOf(application.id, application.runId);
      expect(before).toEqual({
        applicationStatus: 'submitted',
        runStatus: 'waiting',
        currentStep: 'wait',
        steps: ['wait:waiting'],
      });
      for (const stranger of [outsider, otherHead]) {
        const signalled = await signal(application.runId, stranger).expect(404);
        expect(signalled.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: 'workflow run not found',
        });
        const patched = await patchStatus(application.id, stranger, 'under_review').expect(404);
        expect(patched.body).toMatchObject({ statusCode: 404, message: 'application not found' });
        await http().get(`/api/lms/applications/${application.id}`).set(auth(stranger)).expect(404);
        await http().get(`/api/workflow/runs/${application.runId}`).set(auth(stranger)).expect(404);
        const runs = await http()
          .get('/api/workflow/runs')
          .query({ subjectId: application.id })
          .set(auth(stranger))
          .expect(200);
        expect(runs.body.items).toEqual([]);
        const applications = await http()
          .get('/api/lms/applications')
          .query({ batchId, limit: 100 })
          .set(auth(stranger))
          .expect(200);
        expect(applications.body.items.map((item: { id: string }) => item.id)).not.toContain(
          application.id,
        );
      }
      expect(await stateOf(application.id, application.runId)).toEqual(before);
    });

    it('a finished run outside your scope is a 404 too, not a 409 that would reveal it', async () => {
      const application = await ownedApplication(teamRep);
      await http()
        .post(`/api/workflow/runs/${application.runId}/cancel`)
        .set(auth(adminToken))
        .expect(200);
      await signal(application.runId, outsider).expect(404);
      await signal(application.runId, teamRep).expect(409);
    });

    it('the owning rep reads, signals and changes their application; the run moves on', async () => {
      const application = await ownedApplication(teamRep);
      const run = await http()
        .get(`/api/workflow/runs/${application.runId}`)
        .set(auth(teamRep))
        .expect(200);
      expect(run.body.id).toBe(application.runId);
      const listed = await http()
        .get('/api/workflow/runs')
        .query({ subjectId: application.id })
        .set(auth(teamRep))
        .expect(200);
      expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([application.runId]);
      await signal(application.runId, teamRep).expect(200);
      await until(async () => {
        const state = await stateOf(application.id, application.runId);
        return state.runStatus === 'completed' ? state : undefined;
      }, 'the signalled run to complete');
      expect((await stateOf(application.id, application.runId)).applicationStatus).toBe(
        'under_review',
      );
      const accepted = await patchStatus(application.id, teamRep, 'accepted').expect(200);
      expect(accepted.body.status).toBe('accepted');
    });

    it("a sales head acts on their team's applications; an admin on anyone's", async () => {
      const teams = await ownedApplication(teamRep);
      await signal(teams.runId, head).expect(200);
      const outsiders = await ownedApplication(outsider);
      await signal(outsiders.runId, head).expect(404);
      await patchStatus(outsiders.id, head, 'under_review').expect(404);
      await patchStatus(outsiders.id, adminToken, 'under_review').expect(200);
      await signal(outsiders.runId, adminToken).expect(200);
      await http().get(`/api/workflow/runs/${outsiders.runId}`).set(auth(adminToken)).expect(200);
    });

    it('a PAP workflow is visible only with its application', async () => {
      const application = await ownedApplication(teamRep);
      for (const status of ['under_review', 'accepted'])
        await patchStatus(application.id, adminToken, status).expect(200);
      const pap = await http()
        .post(`/api/lms/applications/${application.id}/pap`)
        .set(auth(adminToken))
        .expect(201);
      await http().get(`/api/lms/pap/${pap.body.id}`).set(auth(teamRep)).expect(200);
      await http().get(`/api/lms/pap/${pap.body.id}`).set(auth(outsider)).expect(404);
    });

    it("discount requests: another rep's application reads like an unknown one, and their requests stay hidden", async () => {
      const application = await ownedApplication(teamRep);
      const ask = (user: TestUser) =>
        http()
          .post('/api/finance/discount-requests')
          .set(auth(user))
          .send({ applicationId: application.id, requestedPrice: '50.00' });
      const refused = await ask(outsider).expect(422);
      expect(refused.body.message).toBe('applicationId is not a known application');
      const { rows } = await database.sql(
        `SELECT count(*)::int AS requests FROM discount_requests WHERE application_id = $1`,
        [application.id],
      );
      expect(rows).toEqual([{ requests: 0 }]);
      const request = (await ask(teamRep).expect(201)).body;
      const listedFor = async (user: TestUser | string) =>
        (
          await http()
            .get('/api/finance/discount-requests')
            .query({ limit: 100 })
            .set(auth(user))
            .expect(200)
        ).body.items.map((item: { id: string }) => item.id);
      expect(await listedFor(outsider)).not.toContain(request.id);
      expect(await listedFor(head)).toContain(request.id);
      expect(await listedFor(adminToken)).toContain(request.id);
    });

    it('runs about anything but an application are for admins only', async () => {
      const run = await http()
        .post('/api/workflow/runs')
        .set(auth(adminToken))
        .send({ definitionKey: REVIEW_BY_SIGNAL.key, subjectType: 'test', subjectId: 'not-a-uuid' })
        .expect(201);
      await http().get(`/api/workflow/runs/${run.body.id}`).set(auth(head)).expect(404);
      await signal(run.body.id, head).expect(404);
      const listed = await http()
        .get('/api/workflow/runs')
        .query({ subjectType: 'test' })
        .set(auth(head))
        .expect(200);
      expect(listed.body.items).toEqual([]);
      await http().get(`/api/workflow/runs/${run.body.id}`).set(auth(adminToken)).expect(200);
    });

    it('owner and outsider signalling the same run at once: the owner wins once, the outsider 404s', async () => {
      const application = await ownedApplication(teamRep);
      const [owner, stranger, again] = await Promise.all([
        signal(application.runId, teamRep),
        signal(application.runId, outsider),
        signal(application.runId, teamRep),
      ]);
      expect(stranger.status).toBe(404);
      expect([owner.status, again.status].sort()).toEqual([200, 409]);
      const { rows } = await database.sql(
        `SELECT count(*)::int AS signals FROM workflow_step_runs
          WHERE run_id = $1 AND step_key = 'wait' AND status = 'completed'`,
        [application.runId],
      );
      expect(rows).toEqual([{ signals: 1 }]);
    });
  });
});
