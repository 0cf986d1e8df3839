import { QueueRegistry } from '@mas/jobs';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import {
  login,
  startTestApp,
  stopWithQueues,
  TEST_ADMIN,
  type TestApp,
} from '@mas/testing/test-app.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';
import { createSlot } from '@mas/testing/slots.js';
import { fund } from '@mas/testing/ledger.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('jobs: KPI snapshots', () => {
  let database: TestDatabase;
  let app: TestApp;
  let adminToken: string;
  let salesHead: TestUser;
  let student: TestUser;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database);
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    salesHead = await createUserWithRole(app, 'sales_head', adminToken);
    student = await createUserWithRole(app, 'student', adminToken);
  });

  afterAll(async () => {
    await stopWithQueues(app);
    await database?.drop();
  });

  it('answers 404 before the first snapshot, and only admins and sales heads may read', async () => {
    await app.http().get('/api/kpi/latest').expect(401);
    await app.http().get('/api/kpi/latest').set(auth(student.token)).expect(403);
    const none = await app.http().get('/api/kpi/latest').set(auth(adminToken)).expect(404);
    expect(none.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    await app.http().post('/api/kpi/refresh').set(auth(salesHead.token)).expect(403);
    await app.http().post('/api/kpi/refresh').set(auth(student.token)).expect(403);
  });

  it('computes figures equal to independent SQL over seeded data', async () => {
    await seedBusiness();
    const refreshed = await app.http().post('/api/kpi/refresh').set(auth(adminToken)).expect(201);
    expect(Object.keys(refreshed.body).sort()).toEqual(['computedAt', 'id', 'metrics']);
    expect(new Date(refreshed.body.computedAt).toISOString()).toBe(refreshed.body.computedAt);

    const expected = await expectedMetrics();
    expect(refreshed.body.metrics).toEqual(expected);

    // The figures the seed makes certain, by hand.
    expect(expected.bookings).toEqual({ today: 2, last7Days: 3 });
    expect(expected.tokensSpent).toEqual({ today: 5, last7Days: 9 });
    expect(expected.conversion).toMatchObject({
      leads: 4,
      leadsWithApplication: 3,
      applications: 4,
      enrolled: 1,
      leadToApplication: 0.75,
      applicationToEnrolled: 0.25,
    });
    expect(expected.usersByRole).toMatchObject({ admin: 1, expert: 1, sales_head: 1, sales: 0 });

    const latest = await app.http().get('/api/kpi/latest').set(auth(salesHead.token)).expect(200);
    expect(latest.body).toEqual(refreshed.body);
  });

  it('records a kpi.updated event for admins with each snapshot, in the same transaction', async () => {
    const refreshed = await app.http().post('/api/kpi/refresh').set(auth(adminToken)).expect(201);
    const events = await database.sql(
      `SELECT channel, audience, payload FROM outbox_messages WHERE topic = 'kpi.updated'
        AND payload -> 'data' ->> 'snapshotId' = $1`,
      [refreshed.body.id],
    );
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0]).toMatchObject({
      channel: 'realtime',
      audience: ['role:admin'],
      payload: {
        type: 'kpi.updated',
        data: { snapshotId: refreshed.body.id, computedAt: refreshed.body.computedAt },
      },
    });

    const snapshots = async () =>
      (await database.sql(`SELECT count(*)::int AS n FROM superadmin.kpi_snapshots`)).rows[0].n;
    const before = await snapshots();
    await database.sql(`CREATE FUNCTION refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'outbox is switched off'; END $$`);
    await database.sql(
      `CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox_messages FOR EACH ROW EXECUTE FUNCTION refuse_outbox()`,
    );
    try {
      const failed = await app.http().post('/api/kpi/refresh').set(auth(adminToken));
      expect(failed.status).toBeGreaterThanOrEqual(400);
    } finally {
      await database.sql(`DROP TRIGGER refuse_outbox ON outbox_messages`);
      await database.sql(`DROP FUNCTION refuse_outbox()`);
    }
    expect(await snapshots()).toBe(before);
  });

  it('the scheduled kpi job stores a snapshot through BullMQ', async () => {
    const queue = app.app.get(QueueRegistry).get('kpi')!;
    const job = await queue.add('kpi-snapshot', {});
    let result: { snapshotId: string } | undefined;
    for (let attempt = 0; attempt < 100 && !result; attempt++) {
      const current = await queue.getJob(job.id!);
      if (current?.failedReason) throw new Error(current.failedReason);
      result = current?.finishedOn ? (current.returnvalue as { snapshotId: string }) : undefined;
      if (!result) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const stored = await database.sql(
      `SELECT metrics FROM superadmin.kpi_snapshots WHERE id = $1`,
      [result!.snapshotId],
    );
    expect(stored.rows[0].metrics).toEqual(await expectedMetrics());
  });

  /** Users, bookings today and earlier, leads and applications in every interesting state. */
  async function seedBusiness(): Promise<void> {
    const mentor = await createUserWithRole(app, 'expert', adminToken);
    await fund(app, adminToken, student.id, 20);
    for (const priceTokens of [2, 3]) {
      const slot = await createSlot(app, mentor.token, { priceTokens });
      await app
        .http()
        .post(`/api/mentorship/slots/${slot.id}/book`)
        .set(auth(student.token))
        .expect(200);
    }
    // Booking rows from earlier days (the ledger only accepts inserts): 3 days and 10 days ago.
    await database.sql(
      `INSERT INTO token_usages (user_id, usage_type, delta, balance_before, balance_after, created_at)
       VALUES ($1, 'meeting_booking', -4, 10, 6, now() - interval '3 days'),
              ($1, 'meeting_booking', -6, 10, 4, now() - interval '10 days')`,
      [student.id],
    );

    const students = await Promise.all(
      [1, 2, 3].map(() => createUserWithRole(app, 'student', adminToken)),
    );
    const course = await database.sql(
      `INSERT INTO courses (code, title, price) VALUES ('KPI-1', 'KPI course', 100) RETURNING id`,
    );
    const batch = await database.sql(
      `INSERT INTO batches (course_id, name, starts_on, capacity, price) VALUES ($1, 'B1', '2030-01-01', 10, 100) RETURNING id`,
      [course.rows[0].id],
    );
    const applications = await database.sql(
      `INSERT INTO applications (user_id, batch_id, status, final_amount)
       SELECT user_id, $1, status::application_status, 100
         FROM unnest($2::uuid[], $3::text[]) AS a(user_id, status) RETURNING id`,
      [
        batch.rows[0].id,
        [student.id, ...students.map((s) => s.id)],
        ['enrolled', 'submitted', 'submitted', 'rejected'],
      ],
    );
    const applicationIds = applications.rows.map((row: { id: string }) => row.id);
    await database.sql(
      `INSERT INTO mas_crm.leads (full_name, source, status, application_id)
       VALUES ('Lead A', 'web', 'converted', $1), ('Lead B', 'web', 'active', $2),
              ('Lead C', 'event', 'qualified', $3), ('Lead D', 'event', 'lost', NULL)`,
      applicationIds.slice(0, 3),
    );
  }

  /** The figures, computed in SQL written independently of the implementation. */
  async function expectedMetrics() {
    const roles = ['admin', 'expert', 'student', 'sales', 'sales_head'];
    const leadStatuses = ['active', 'contacted', 'qualified', 'converted', 'lost'];
    const applicationStatuses = [
      'submitted',
      'under_review',
      'accepted',
      'rejected',
      'enrolled',
      'withdrawn',
    ];
    const countsBy = async (sql: string, keys: string[]) => {
      const rows = (await database.sql(sql)).rows as { key: string; n: number }[];
      return Object.fromEntries(
        keys.map((key) => [key, rows.find((row) => row.key === key)?.n ?? 0]),
      );
    };
    const bookings = (
      await database.sql(`
        SELECT count(*) FILTER (WHERE (created_at AT TIME ZONE 'UTC')::date = (now() AT TIME ZONE 'UTC')::date)::int AS today,
               count(*) FILTER (WHERE created_at > now() - interval '7 days')::int AS week,
               coalesce(sum(abs(delta)) FILTER (WHERE (created_at AT TIME ZONE 'UTC')::date = (now() AT TIME ZONE 'UTC')::date), 0)::int AS tokens_today,
               coalesce(sum(abs(delta)) FILTER (WHERE created_at > now() - interval '7 days'), 0)::int AS tokens_week
          FROM token_usages WHERE usage_type = 'meeting_booking'`)
    ).rows[0];
    const funnel = (
      await database.sql(`
        SELECT (SELECT count(*) FROM mas_crm.leads)::int AS leads,
               (SELECT count(application_id) FROM mas_crm.leads)::int AS with_application,
               (SELECT count(*) FROM applications)::int AS applications,
               (SELECT count(*) FROM applications WHERE status = 'enrolled')::int AS enrolled`)
    ).rows[0];
    const ratio = (part: number, whole: number) =>
      whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
    return {
      usersByRole: await countsBy(
        `SELECT role::text AS key, count(*)::int AS n FROM users GROUP BY role`,
        roles,
      ),
      bookings: { today: bookings.today, last7Days: bookings.week },
      tokensSpent: { today: bookings.tokens_today, last7Days: bookings.tokens_week },
      leadsByStatus: await countsBy(
        `SELECT status::text AS key, count(*)::int AS n FROM mas_crm.leads GROUP BY status`,
        leadStatuses,
      ),
      applicationsByStatus: await countsBy(
        `SELECT status::text AS key, count(*)::int AS n FROM applications GROUP BY status`,
        applicationStatuses,
      ),
      conversion: {
        leads: funnel.leads,
        leadsWithApplication: funnel.with_application,
        applications: funnel.applications,
        enrolled: funnel.enrolled,
        leadToApplication: ratio(funnel.with_application, funnel.leads),
        applicationToEnrolled: ratio(funnel.enrolled, funnel.applications),
      },
    };
  }
});
