import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { assignApplicationLead } from '@mas/testing/leads.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';
import { pauseDefaultWorkflows } from '@mas/testing/workflows.js';

describe('LMS: catalogue, applications, discounts, PAP', () => {
  let database: TestDatabase;
  let app: TestApp;
  let adminToken: string;
  let sales: TestUser;
  let course: { id: string };
  let batch: { id: string };
  const auth = (user: TestUser | string) => ({
    Authorization: `Bearer ${typeof user === 'string' ? user : user.token}`,
  });

  function apply(student: TestUser, batchId = batch.id) {
    return app
      .http()
      .post('/api/lms/applications')
      .set(auth(student))
      .send({ batchId, extraData: { referral: 'friend' } });
  }

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database);
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    // This suite moves applications by hand; workflow.spec covers the automated review.
    await pauseDefaultWorkflows(app, adminToken);
    sales = await createUserWithRole(app, 'sales', adminToken);
    course = (
      await app
        .http()
        .post('/api/lms/courses')
        .set(auth(adminToken))
        .send({ code: 'MAS-101', title: 'Data Science', price: '1499.5' })
        .expect(201)
    ).body;
    batch = (
      await app
        .http()
        .post('/api/lms/batches')
        .set(auth(adminToken))
        .send({
          courseId: course.id,
          name: 'Jan 2027',
          startsOn: '2027-01-15',
          capacity: 40,
          price: '1499.50',
        })
        .expect(201)
    ).body;
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('seeds colleges at boot and searches them by case-insensitive name prefix', async () => {
    const count = await database.sql(`SELECT count(*)::int AS n FROM colleges`);
    expect(count.rows[0].n).toBeGreaterThanOrEqual(300);
    const found = await app
      .http()
      .get('/api/lms/colleges')
      .query({ q: 'pune', limit: 100 })
      .set(auth(sales))
      .expect(200);
    expect(found.body.items.length).toBeGreaterThan(0);
    expect(
      found.body.items.every((college: { name: string }) =>
        college.name.toLowerCase().startsWith('pune'),
      ),
    ).toBe(true);
    const plan = await database.sql(
      `EXPLAIN SELECT id FROM colleges WHERE lower(name) LIKE 'pune%'`,
    );
    expect(plan.rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n')).toMatch(
      /idx_colleges_name_lower_prefix|Seq Scan/,
    );
  });

  it('keeps money exact: decimal strings in, decimal strings out, numeric(12,2) in the database', async () => {
    expect(course).toMatchObject({ code: 'MAS-101', price: '1499.50' });
    const stored = await database.sql(`SELECT price::text FROM batches WHERE id = $1`, [batch.id]);
    expect(stored.rows[0].price).toBe('1499.50');
    const bad = await app
      .http()
      .post('/api/lms/courses')
      .set(auth(adminToken))
      .send({ code: 'X-1', title: 'x', price: 12.5 })
      .expect(400);
    expect(bad.body.details[0].field).toBe('price');
    await app
      .http()
      .post('/api/lms/courses')
      .set(auth(adminToken))
      .send({ code: 'X-2', title: 'x', price: '1.999' })
      .expect(400);
    await app
      .http()
      .post('/api/lms/courses')
      .set(auth(adminToken))
      .send({ code: 'MAS-101', title: 'dup', price: '1.00' })
      .expect(409);
    await app
      .http()
      .post('/api/lms/batches')
      .set(auth(adminToken))
      .send({
        courseId: course.id,
        name: 'bad',
        startsOn: '2027-02-30',
        capacity: 1,
        price: '1.00',
      })
      .expect(400);
  });

  it('creates an application with the batch price, once per student and batch, and a lead in the same transaction', async () => {
    const student = await createUserWithRole(app, 'student', adminToken);
    const created = await apply(student).expect(201);
    expect(created.body).toMatchObject({
      userId: student.id,
      batchId: batch.id,
      status: 'submitted',
      finalAmount: '1499.50',
      extraData: { referral: 'friend' },
    });
    const received = await database.sql(
      `SELECT payload FROM outbox_messages WHERE topic = 'application_received' AND payload ->> 'to' = $1`,
      [student.email],
    );
    expect(received.rows).toHaveLength(1);
    const again = await apply(student).expect(409);
    expect(again.body.message).toBe('you already applied to this batch');
    const leads = await database.sql(
      `SELECT source, status, application_id, email FROM mas_crm.leads WHERE user_id = $1`,
      [student.id],
    );
    expect(leads.rows).toEqual([
      {
        source: 'application',
        status: 'active',
        application_id: created.body.id,
        email: student.email,
      },
    ]);
    await apply(student, '00000000-0000-4000-8000-000000000000').expect(422);
  });

  it('rolls the application back when the lead insert fails', async () => {
    const student = await createUserWithRole(app, 'student', adminToken);
    await database.sql(`CREATE FUNCTION refuse_lead() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'leads are switched off' USING ERRCODE = 'P0001'; END $$`);
    await database.sql(
      `CREATE TRIGGER refuse_lead BEFORE INSERT ON mas_crm.leads FOR EACH ROW EXECUTE FUNCTION refuse_lead()`,
    );
    try {
      await apply(student).expect(422);
    } finally {
      await database.sql(`DROP TRIGGER refuse_lead ON mas_crm.leads`);
      await database.sql(`DROP FUNCTION refuse_lead()`);
    }
    const applications = await database.sql(`SELECT 1 FROM applications WHERE user_id = $1`, [
      student.id,
    ]);
    expect(applications.rowCount).toBe(0);
    await apply(student).expect(201);
  });

  it('links an existing lead with the same email instead of creating a second one', async () => {
    const student = await createUserWithRole(app, 'student', adminToken);
    await database.sql(
      `INSERT INTO mas_crm.leads (full_name, email, source) VALUES ('Earlier Lead', $1, 'website')`,
      [student.email],
    );
    const created = await apply(student).expect(201);
    const leads = await database.sql(
      `SELECT source, user_id, application_id FROM mas_crm.leads WHERE email = $1`,
      [student.email],
    );
    expect(leads.rows).toEqual([
      { source: 'website', user_id: student.id, application_id: created.body.id },
    ]);
  });

  it('enforces the application lifecycle in one place (409 naming the status) and lets students only withdraw', async () => {
    const student = await createUserWithRole(app, 'student', adminToken);
    const { id } = (await apply(student).expect(201)).body;
    await assignApplicationLead(database, id, sales.id);
    const patch = (user: TestUser | string, status: string) =>
      app.http().patch(`/api/lms/applications/${id}/status`).set(auth(user)).send({ status });
    const skip = await patch(sales, 'enrolled').expect(409);
    expect(skip.body.message).toBe('application is submitted; cannot move to enrolled');
    await patch(student, 'accepted').expect(403);
    await patch(sales, 'under_review').expect(200);
    await patch(sales, 'accepted').expect(200);
    await patch(sales, 'bogus').expect(400);
    const events = await database.sql(
      `SELECT payload -> 'data' ->> 'to' AS status, audience FROM outbox_messages
        WHERE channel = 'realtime' AND topic = 'application.status_changed'
          AND payload -> 'data' ->> 'applicationId' = $1 ORDER BY created_at`,
      [id],
    );
    expect(events.rows).toEqual([
      { status: 'under_review', audience: [`user:${student.id}`] },
      { status: 'accepted', audience: [`user:${student.id}`] },
    ]);
    const withdrawn = await patch(student, 'withdrawn').expect(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    await patch(sales, 'enrolled').expect(409);
  });

  it('shows students only their own applications', async () => {
    const first = await createUserWithRole(app, 'student', adminToken);
    const second = await createUserWithRole(app, 'student', adminToken);
    const mine = (await apply(first).expect(201)).body;
    const theirs = (await apply(second).expect(201)).body;
    await assignApplicationLead(database, mine.id, sales.id);
    await assignApplicationLead(database, theirs.id, sales.id);
    const list = await app.http().get('/api/lms/applications').set(auth(first)).expect(200);
    expect(list.body.items.map((application: { id: string }) => application.id)).toEqual([mine.id]);
    await app.http().get(`/api/lms/applications/${mine.id}`).set(auth(second)).expect(404);
    const staff = await app
      .http()
      .get('/api/lms/applications')
      .query({ batchId: batch.id, limit: 100 })
      .set(auth(sales))
      .expect(200);
    const staffIds = staff.body.items.map((application: { id: string }) => application.id);
    expect(staffIds).toEqual(expect.arrayContaining([mine.id, theirs.id]));
  });

  describe('discount requests', () => {
    it('approval sets the final amount in the same transaction; one pending request per application', async () => {
      const student = await createUserWithRole(app, 'student', adminToken);
      const application = (await apply(student).expect(201)).body;
      await assignApplicationLead(database, application.id, sales.id);
      const request = (
        await app
          .http()
          .post('/api/finance/discount-requests')
          .set(auth(sales))
          .send({ applicationId: application.id, requestedPrice: '999', note: 'scholarship' })
          .expect(201)
      ).body;
      expect(request).toMatchObject({
        status: 'pending',
        requestedPrice: '999.00',
        applicationId: application.id,
      });
      const second = await app
        .http()
        .post('/api/finance/discount-requests')
        .set(auth(sales))
        .send({ applicationId: application.id, requestedPrice: '900' })
        .expect(409);
      expect(second.body.message).toBe('this application already has a pending discount request');

      const approved = await app
        .http()
        .post(`/api/finance/discount-requests/${request.id}/approve`)
        .set(auth(adminToken))
        .send({ approvedPrice: '1099.99' })
        .expect(200);
      expect(approved.body).toMatchObject({ status: 'approved', approvedPrice: '1099.99' });
      const stored = await database.sql(
        `SELECT final_amount::text FROM applications WHERE id = $1`,
        [application.id],
      );
      expect(stored.rows[0].final_amount).toBe('1099.99');
      await app
        .http()
        .post(`/api/finance/discount-requests/${request.id}/approve`)
        .set(auth(adminToken))
        .send({ approvedPrice: '1.00' })
        .expect(409);
      await app
        .http()
        .post('/api/finance/discount-requests')
        .set(auth(sales))
        .send({ applicationId: application.id, requestedPrice: '900' })
        .expect(201);
    });

    it('rolls back the approval when the application update fails, leaving the request pending', async () => {
      const student = await createUserWithRole(app, 'student', adminToken);
      const application = (await apply(student).expect(201)).body;
      await assignApplicationLead(database, application.id, sales.id);
      const request = (
        await app
          .http()
          .post('/api/finance/discount-requests')
          .set(auth(sales))
          .send({ applicationId: application.id, requestedPrice: '500' })
          .expect(201)
      ).body;
      await database.sql(
        `ALTER TABLE applications ADD CONSTRAINT chk_test_final_amount_floor CHECK (final_amount >= 600) NOT VALID`,
      );
      try {
        await app
          .http()
          .post(`/api/finance/discount-requests/${request.id}/approve`)
          .set(auth(adminToken))
          .send({ approvedPrice: '500.00' })
          .expect(422);
      } finally {
        await database.sql(`ALTER TABLE applications DROP CONSTRAINT chk_test_final_amount_floor`);
      }
      const row = await database.sql(
        `SELECT status, approved_price FROM discount_requests WHERE id = $1`,
        [request.id],
      );
      expect(row.rows[0]).toEqual({ status: 'pending', approved_price: null });
      const stored = await database.sql(
        `SELECT final_amount::text FROM applications WHERE id = $1`,
        [application.id],
      );
      expect(stored.rows[0].final_amount).toBe('1499.50');
    });

    it('validates requests: price format, below the current price, known application, roles', async () => {
      const student = await createUserWithRole(app, 'student', adminToken);
      const application = (await apply(student).expect(201)).body;
      await assignApplicationLead(database, application.id, sales.id);
      const send = (user: TestUser | string, body: object) =>
        app.http().post('/api/finance/discount-requests').set(auth(user)).send(body);
      await send(sales, { applicationId: application.id, requestedPrice: '12.345' }).expect(400);
      await send(sales, { applicationId: application.id, requestedPrice: '1499.50' }).expect(422);
      await send(sales, {
        applicationId: '00000000-0000-4000-8000-000000000000',
        requestedPrice: '1.00',
      }).expect(422);
      await send(student, { applicationId: application.id, requestedPrice: '1.00' }).expect(403);
      await send(adminToken, { applicationId: application.id, requestedPrice: '1.00' }).expect(403);
    });
  });

  it('starts one PAP workflow for an accepted MAS-101 application and enforces its lifecycle', async () => {
    const student = await createUserWithRole(app, 'student', adminToken);
    const { id } = (await apply(student).expect(201)).body;
    await assignApplicationLead(database, id, sales.id);
    const early = await app
      .http()
      .post(`/api/lms/applications/${id}/pap`)
      .set(auth(adminToken))
      .expect(422);
    expect(early.body.message).toBe('application is submitted; it must be accepted or enrolled');
    for (const status of ['under_review', 'accepted']) {
      await app
        .http()
        .patch(`/api/lms/applications/${id}/status`)
        .set(auth(sales))
        .send({ status })
        .expect(200);
    }
    const pap = (
      await app.http().post(`/api/lms/applications/${id}/pap`).set(auth(adminToken)).expect(201)
    ).body;
    expect(pap).toMatchObject({ applicationId: id, status: 'initiated' });
    await app.http().post(`/api/lms/applications/${id}/pap`).set(auth(adminToken)).expect(409);
    const jump = await app
      .http()
      .patch(`/api/lms/pap/${pap.id}`)
      .set(auth(adminToken))
      .send({ status: 'placed' })
      .expect(409);
    expect(jump.body.message).toBe('PAP workflow is initiated; cannot move to placed');
    await app
      .http()
      .patch(`/api/lms/pap/${pap.id}`)
      .set(auth(adminToken))
      .send({ status: 'agreement_signed' })
      .expect(200);
    const fetched = await app.http().get(`/api/lms/pap/${pap.id}`).set(auth(sales)).expect(200);
    expect(fetched.body.status).toBe('agreement_signed');

    const other = (
      await app
        .http()
        .post('/api/lms/courses')
        .set(auth(adminToken))
        .send({ code: 'WEB-201', title: 'Web', price: '10.00' })
        .expect(201)
    ).body;
    const otherBatch = (
      await app
        .http()
        .post('/api/lms/batches')
        .set(auth(adminToken))
        .send({
          courseId: other.id,
          name: 'b',
          startsOn: '2027-03-01',
          capacity: 5,
          price: '10.00',
        })
        .expect(201)
    ).body;
    const webApplication = (await apply(student, otherBatch.id).expect(201)).body;
    await app
      .http()
      .post(`/api/lms/applications/${webApplication.id}/pap`)
      .set(auth(adminToken))
      .expect(422);
  });
});
