import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';
import { fund, ledgerViolations } from '@mas/testing/ledger.js';
import { createSlot } from '@mas/testing/slots.js';
import { connectEvents, type EventsClient, listen } from '@mas/testing/realtime.js';
import { TcpProxy } from '@mas/testing/tcp-proxy.js';

/** Polls `probe` until it returns true, for at most `ms`. */
async function eventually(probe: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(50);
  }
  return probe();
}

describe('Redis down: bookings go on, the outbox keeps the work, and drains when Redis returns', () => {
  let database: TestDatabase;
  let app: TestApp;
  let proxy: TcpProxy;
  let mentorEvents: EventsClient;
  let mentor: TestUser;
  let adminToken: string;

  const count = async (sql: string, values: unknown[] = []) =>
    ((await database.sql(sql, values)).rows[0] as { n: number }).n;

  beforeAll(async () => {
    proxy = await TcpProxy.reserve({ host: '127.0.0.1', port: 6379 });
    await proxy.start();
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database, {
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      OUTBOX_POLL_MS: '50',
    });
    const baseUrl = await listen(app);
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    mentor = await createUserWithRole(app, 'expert', adminToken);
    mentorEvents = await connectEvents(baseUrl, { token: mentor.token });
  });

  afterAll(async () => {
    mentorEvents?.close();
    await app?.close();
    await proxy?.stop();
    await database?.drop();
  });

  it('books with Redis gone, delivers every event and email once after it is back', async () => {
    const students = await Promise.all(
      [1, 2, 3].map(() => createUserWithRole(app, 'student', adminToken)),
    );
    for (const student of students) await fund(app, adminToken, student.id, 2);
    const slots = await Promise.all(
      students.map(() => createSlot(app, mentor.token, { priceTokens: 2 })),
    );
    const slotIds = slots.map((slot) => slot.id);

    await proxy.stop();
    const redisDown = await eventually(async () => {
      const health = await app.http().get('/api/health');
      return health.body?.info?.redis?.status === 'degraded';
    }, 10_000);
    expect(redisDown).toBe(true);

    const bookings = await Promise.all(
      students.map((student, i) =>
        app
          .http()
          .post(`/api/mentorship/slots/${slotIds[i]}/book`)
          .set('Authorization', `Bearer ${student.token}`),
      ),
    );
    expect(bookings.map((response) => response.status)).toEqual([200, 200, 200]);

    const slotRows = `payload -> 'data' ->> 'slotId' = ANY($1) OR (topic = 'booking_confirmation' AND payload -> 'data' ->> 'slotId' = ANY($1))`;
    await sleep(1000);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM outbox_messages WHERE status = 'pending' AND (${slotRows})`,
        [slotIds],
      ),
    ).toBe(6);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM outbox_messages WHERE status = 'dispatched' AND (${slotRows})`,
        [slotIds],
      ),
    ).toBe(0);
    expect(mentorEvents.received.filter((event) => event.event === 'slot.booked')).toEqual([]);

    await proxy.start();
    const drained = await eventually(
      async () =>
        (await count(
          `SELECT count(*)::int AS n FROM outbox_messages WHERE status <> 'dispatched' AND (${slotRows})`,
          [slotIds],
        )) === 0,
      30_000,
    );
    expect(drained).toBe(true);
    const delivered = await eventually(
      () =>
        Promise.resolve(
          mentorEvents.received.filter((event) => event.event === 'slot.booked').length >= 3,
        ),
      10_000,
    );
    expect(delivered).toBe(true);
    const emailed = await eventually(
      async () =>
        (await count(
          `SELECT count(*)::int AS n FROM email_deliveries WHERE template = 'booking_confirmation' AND status = 'sent'`,
        )) >= 3,
      20_000,
    );
    expect(emailed).toBe(true);

    await sleep(1000);
    const booked = mentorEvents.received.filter((event) => event.event === 'slot.booked');
    const bookedSlots = booked
      .map((event) => (event.payload as { data: { slotId: string } }).data.slotId)
      .sort();
    expect(bookedSlots).toEqual([...slotIds].sort());
    const emails = await database.sql(
      `SELECT recipient, count(*)::int AS n FROM email_deliveries WHERE template = 'booking_confirmation' GROUP BY recipient ORDER BY recipient`,
    );
    expect(emails.rows).toEqual(
      students
        .map((student) => ({ recipient: student.email, n: 1 }))
        .sort((a, b) => a.recipient.localeCompare(b.recipient)),
    );
    expect(await ledgerViolations(database)).toEqual([]);
  });
});
