import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';
import { fund } from '@mas/testing/ledger.js';
import { createSlot } from '@mas/testing/slots.js';
import { connectEvents, type EventsClient, listen } from '@mas/testing/realtime.js';

describe('booking events over the gateway', () => {
  let database: TestDatabase;
  let app: TestApp;
  let adminToken: string;
  let mentor: TestUser;
  const clients: EventsClient[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    // Polls a minute apart: an event arrives only because the booking woke the relay (NOTIFY).
    app = await startTestApp(database, {
      OUTBOX_POLL_MS: '60000',
      OUTBOX_FALLBACK_POLL_MS: '60000',
    });
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    mentor = await createUserWithRole(app, 'expert', adminToken);
  });

  afterAll(async () => {
    clients.forEach((client) => client.close());
    await app?.close();
    await database?.drop();
  });

  async function connect(user: TestUser, baseUrl: string): Promise<EventsClient> {
    const client = await connectEvents(baseUrl, { token: user.token });
    clients.push(client);
    return client;
  }

  it('a booking sends exactly one slot.booked to the mentor and the student, after commit; a refused one sends none', async () => {
    const baseUrl = await listen(app);
    const student = await createUserWithRole(app, 'student', adminToken);
    const bystander = await createUserWithRole(app, 'student', adminToken);
    const broke = await createUserWithRole(app, 'student', adminToken);
    await fund(app, adminToken, student.id, 2);
    const [mentorEvents, studentEvents, bystanderEvents, brokeEvents] = await Promise.all(
      [mentor, student, bystander, broke].map((user) => connect(user, baseUrl)),
    );

    const refusedSlot = await createSlot(app, mentor.token, { priceTokens: 2 });
    await app
      .http()
      .post(`/api/mentorship/slots/${refusedSlot.id}/book`)
      .set('Authorization', `Bearer ${broke.token}`)
      .expect(422);

    const slot = await createSlot(app, mentor.token, { priceTokens: 2 });
    await app
      .http()
      .post(`/api/mentorship/slots/${slot.id}/book`)
      .set('Authorization', `Bearer ${student.token}`)
      .expect(200);

    const toMentor = (await mentorEvents.next('slot.booked')) as {
      type: string;
      occurredAt: string;
      data: { slotId: string };
    };
    const toStudent = (await studentEvents.next('slot.booked')) as { data: { slotId: string } };
    expect(toMentor).toMatchObject({
      type: 'slot.booked',
      data: { slotId: slot.id, studentId: student.id, status: 'confirmed' },
    });
    expect(typeof toMentor.occurredAt).toBe('string');
    expect(toStudent.data.slotId).toBe(slot.id);

    await sleep(500);
    const booked = (client: EventsClient) =>
      client.received.filter((event) => event.event === 'slot.booked');
    expect(booked(mentorEvents)).toHaveLength(1);
    expect(booked(studentEvents)).toHaveLength(1);
    expect(booked(bystanderEvents)).toHaveLength(0);
    expect(booked(brokeEvents)).toHaveLength(0);
  });
});
