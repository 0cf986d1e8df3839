import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';
import { fund, ledgerViolations } from '@mas/testing/ledger.js';
import { createSlot } from '@mas/testing/slots.js';

describe('mentorship: slots and booking', () => {
  let database: TestDatabase;
  let app: TestApp;
  let adminToken: string;
  let mentor: TestUser;
  let otherMentor: TestUser;
  const auth = (user: TestUser | string) => ({
    Authorization: `Bearer ${typeof user === 'string' ? user : user.token}`,
  });
  const post = (path: string, user: TestUser | string) =>
    app.http().post(`/api/mentorship/slots/${path}`).set(auth(user));
  const balanceOf = async (user: TestUser) =>
    (await database.sql(`SELECT balance FROM token_wallets WHERE user_id = $1`, [user.id])).rows[0]
      .balance as number;
  const ledgerOf = async (user: TestUser) =>
    (
      await database.sql(
        `SELECT usage_type, delta, slot_id FROM token_usages WHERE user_id = $1 ORDER BY entry_no`,
        [user.id],
      )
    ).rows;

  async function fundedStudent(tokens: number): Promise<TestUser> {
    const student = await createUserWithRole(app, 'student', adminToken);
    if (tokens > 0) await fund(app, adminToken, student.id, tokens);
    return student;
  }

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database);
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    mentor = await createUserWithRole(app, 'expert', adminToken);
    otherMentor = await createUserWithRole(app, 'expert', adminToken);
  });

  afterEach(async () => {
    expect(await ledgerViolations(database)).toEqual([]);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  describe('slots', () => {
    it('creates tentative slots and refuses bad times with 400', async () => {
      const slot = await createSlot(app, mentor.token);
      const fetched = await app
        .http()
        .get(`/api/mentorship/slots/${slot.id}`)
        .set(auth(mentor))
        .expect(200);
      expect(fetched.body).toMatchObject({
        mentorId: mentor.id,
        status: 'tentative',
        studentId: null,
        isAvailable: true,
        earningsCredited: false,
      });

      const start = new Date(Date.now() + 3 * 86400_000);
      const backwards = await app
        .http()
        .post('/api/mentorship/slots')
        .set(auth(mentor))
        .send({ startsAt: start.toISOString(), endsAt: start.toISOString(), priceTokens: 1 })
        .expect(400);
      expect(backwards.body.details).toEqual([
        { field: 'endsAt', message: 'must be after startsAt' },
      ]);
      const past = await app
        .http()
        .post('/api/mentorship/slots')
        .set(auth(mentor))
        .send({ startsAt: '2020-01-01T10:00:00Z', endsAt: '2020-01-01T11:00:00Z', priceTokens: 1 })
        .expect(400);
      expect(past.body.details[0].field).toBe('startsAt');
      await app
        .http()
        .post('/api/mentorship/slots')
        .set(auth(mentor))
        .send({ startsAt: 'soon', endsAt: 'later', priceTokens: -1 })
        .expect(400);
    });

    it('refuses an overlapping slot of the same mentor (409) but not of another mentor, nor over a cancelled one', async () => {
      const start = new Date(Date.now() + 10 * 86400_000);
      const body = (offsetMin: number) => ({
        startsAt: new Date(start.getTime() + offsetMin * 60_000).toISOString(),
        endsAt: new Date(start.getTime() + (offsetMin + 60) * 60_000).toISOString(),
        priceTokens: 1,
      });
      const first = await app
        .http()
        .post('/api/mentorship/slots')
        .set(auth(mentor))
        .send(body(0))
        .expect(201);
      const overlap = await app
        .http()
        .post('/api/mentorship/slots')
        .set(auth(mentor))
        .send(body(30))
        .expect(409);
      expect(overlap.body.message).toBe('slot overlaps another active slot of this mentor');
      await app.http().post('/api/mentorship/slots').set(auth(mentor)).send(body(60)).expect(201);
      await app
        .http()
        .post('/api/mentorship/slots')
        .set(auth(otherMentor))
        .send(body(30))
        .expect(201);

      await database.sql(`UPDATE slots SET status = 'cancelled' WHERE id = $1`, [first.body.id]);
      await app.http().post('/api/mentorship/slots').set(auth(mentor)).send(body(-30)).expect(201);
    });

    it('lets only experts (for themselves) and admins (for an expert) create slots', async () => {
      const student = await fundedStudent(0);
      const start = new Date(Date.now() + 20 * 86400_000);
      const body = {
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3600_000).toISOString(),
        priceTokens: 1,
      };
      await app.http().post('/api/mentorship/slots').set(auth(student)).send(body).expect(403);
      await app
        .http()
        .post('/api/mentorship/slots')
        .set(auth(mentor))
        .send({ ...body, mentorId: otherMentor.id })
        .expect(403);
      await app.http().post('/api/mentorship/slots').set(auth(adminToken)).send(body).expect(422);
      await app
        .http()
        .post('/api/mentorship/slots')
        .set(auth(adminToken))
        .send({ ...body, mentorId: student.id })
        .expect(422);
      const created = await app
        .http()
        .post('/api/mentorship/slots')
        .set(auth(adminToken))
        .send({ ...body, mentorId: otherMentor.id })
        .expect(201);
      expect(created.body.mentorId).toBe(otherMentor.id);
    });
  });

  describe('booking', () => {
    it('books: slot confirmed, tokens debited with one meeting_booking row; again → 409', async () => {
      const student = await fundedStudent(5);
      const slot = await createSlot(app, mentor.token, { priceTokens: 2 });
      const booked = await post(`${slot.id}/book`, student).expect(200);
      expect(booked.body).toMatchObject({
        status: 'confirmed',
        studentId: student.id,
        isAvailable: false,
      });
      expect(await balanceOf(student)).toBe(3);
      expect(await ledgerOf(student)).toEqual([
        { usage_type: 'allotment', delta: 5, slot_id: null },
        { usage_type: 'meeting_booking', delta: -2, slot_id: slot.id },
      ]);
      const again = await post(`${slot.id}/book`, await fundedStudent(5)).expect(409);
      expect(again.body.message).toBe('slot is confirmed; cannot book');
      const outbox = await database.sql(
        `SELECT channel, topic, audience, payload FROM outbox_messages WHERE payload -> 'data' ->> 'slotId' = $1 ORDER BY channel`,
        [slot.id],
      );
      expect(outbox.rows).toHaveLength(2);
      expect(outbox.rows[0]).toMatchObject({
        channel: 'realtime',
        topic: 'slot.booked',
        audience: [`user:${mentor.id}`, `user:${student.id}`],
      });
      expect(outbox.rows[0].payload).toMatchObject({
        type: 'slot.booked',
        data: { slotId: slot.id, status: 'confirmed' },
      });
      expect(outbox.rows[1]).toMatchObject({
        channel: 'email',
        topic: 'booking_confirmation',
        payload: { to: student.email },
      });
    });

    it('refuses with 422 and changes nothing when the student is short of tokens', async () => {
      const student = await fundedStudent(1);
      const slot = await createSlot(app, mentor.token, { priceTokens: 2 });
      const refused = await post(`${slot.id}/book`, student).expect(422);
      expect(refused.body.message).toBe('not enough tokens: balance 1, needed 2');
      expect(await balanceOf(student)).toBe(1);
      const row = await database.sql(`SELECT status, student_id FROM slots WHERE id = $1`, [
        slot.id,
      ]);
      expect(row.rows[0]).toEqual({ status: 'tentative', student_id: null });
      const outbox = await database.sql(
        `SELECT 1 FROM outbox_messages WHERE payload -> 'data' ->> 'slotId' = $1`,
        [slot.id],
      );
      expect(outbox.rowCount).toBe(0);
    });

    it('refuses past slots (409), unknown slots (404), bad ids (400) and non-students (403)', async () => {
      const student = await fundedStudent(5);
      const slot = await createSlot(app, mentor.token);
      await database.sql(
        `UPDATE slots SET starts_at = now() - interval '2 hours', ends_at = now() - interval '1 hour' WHERE id = $1`,
        [slot.id],
      );
      const past = await post(`${slot.id}/book`, student).expect(409);
      expect(past.body.message).toBe('slot is in the past');
      await post('00000000-0000-4000-8000-000000000000/book', student).expect(404);
      await post('not-a-uuid/book', student).expect(400);
      const upcoming = await createSlot(app, mentor.token);
      await post(`${upcoming.id}/book`, mentor).expect(403);
      expect(await balanceOf(student)).toBe(5);
    });

    it('20 students booking one slot at once: one 200, nineteen 409, one ledger row', async () => {
      const students = await Promise.all(Array.from({ length: 20 }, () => fundedStudent(3)));
      const slot = await createSlot(app, mentor.token, { priceTokens: 2 });
      const responses = await Promise.all(
        students.map((student) => post(`${slot.id}/book`, student)),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(19);
      const rows = await database.sql(`SELECT user_id FROM token_usages WHERE slot_id = $1`, [
        slot.id,
      ]);
      expect(rows.rowCount).toBe(1);
      const winner = students[statuses.indexOf(200)];
      expect(rows.rows[0].user_id).toBe(winner.id);
      const slotRow = await database.sql(`SELECT status, student_id FROM slots WHERE id = $1`, [
        slot.id,
      ]);
      expect(slotRow.rows[0]).toEqual({ status: 'confirmed', student_id: winner.id });
    });

    it('a student with tokens for 3 bookings booking 10 slots at once: exactly 3 succeed, never below zero', async () => {
      const student = await fundedStudent(6);
      const slots = await Promise.all(
        Array.from({ length: 10 }, () => createSlot(app, mentor.token, { priceTokens: 2 })),
      );
      const responses = await Promise.all(slots.map((slot) => post(`${slot.id}/book`, student)));
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(3);
      expect(statuses.filter((status) => status === 422)).toHaveLength(7);
      expect(await balanceOf(student)).toBe(0);
      const bookings = await database.sql(
        `SELECT count(*)::int AS n FROM token_usages WHERE user_id = $1 AND usage_type = 'meeting_booking'`,
        [student.id],
      );
      expect(bookings.rows[0].n).toBe(3);
      const confirmed = await database.sql(
        `SELECT count(*)::int AS n FROM slots WHERE student_id = $1 AND status = 'confirmed'`,
        [student.id],
      );
      expect(confirmed.rows[0].n).toBe(3);
    });
  });

  describe('lifecycle', () => {
    it('request → review → approve confirms; tokens are held from the request', async () => {
      const student = await fundedStudent(4);
      const slot = await createSlot(app, mentor.token, { priceTokens: 4 });
      expect((await post(`${slot.id}/request`, student).expect(200)).body.status).toBe(
        'meeting_requested',
      );
      expect(await balanceOf(student)).toBe(0);
      await post(`${slot.id}/review`, otherMentor).expect(403);
      expect((await post(`${slot.id}/review`, mentor).expect(200)).body.status).toBe(
        'under_review',
      );
      expect((await post(`${slot.id}/approve`, adminToken).expect(200)).body.status).toBe(
        'confirmed',
      );
      expect(await balanceOf(student)).toBe(0);
    });

    it('reject returns the slot to tentative with one refund row', async () => {
      const student = await fundedStudent(4);
      const slot = await createSlot(app, mentor.token, { priceTokens: 4 });
      await post(`${slot.id}/request`, student).expect(200);
      const rejected = await post(`${slot.id}/reject`, mentor).expect(200);
      expect(rejected.body).toMatchObject({
        status: 'tentative',
        studentId: null,
        isAvailable: true,
      });
      expect(await balanceOf(student)).toBe(4);
      expect((await ledgerOf(student)).map((row) => row.usage_type)).toEqual([
        'allotment',
        'meeting_booking',
        'refund',
      ]);
    });

    it('cancel needs the other party (or an admin) to approve, and refunds exactly once', async () => {
      const student = await fundedStudent(3);
      const slot = await createSlot(app, mentor.token, { priceTokens: 3 });
      await post(`${slot.id}/book`, student).expect(200);
      await post(`${slot.id}/cancel`, otherMentor).expect(403);
      expect((await post(`${slot.id}/cancel`, student).expect(200)).body.status).toBe(
        'cancellation_requested',
      );
      await post(`${slot.id}/cancel/approve`, student).expect(403);
      const approvals = await Promise.all([
        post(`${slot.id}/cancel/approve`, mentor),
        post(`${slot.id}/cancel/approve`, adminToken),
      ]);
      expect(approvals.map((response) => response.status).sort()).toEqual([200, 409]);
      expect(await balanceOf(student)).toBe(3);
      const refunds = await database.sql(
        `SELECT count(*)::int AS n FROM token_usages WHERE slot_id = $1 AND usage_type = 'refund'`,
        [slot.id],
      );
      expect(refunds.rows[0].n).toBe(1);
    });

    it('complete: only after the start, the mentor is credited once', async () => {
      const student = await fundedStudent(2);
      const slot = await createSlot(app, mentor.token, { priceTokens: 2, startsInMs: 1500 });
      await post(`${slot.id}/book`, student).expect(200);
      const early = await post(`${slot.id}/complete`, mentor).expect(409);
      expect(early.body.message).toBe('slot has not started yet; cannot complete');
      await sleep(1600);
      await post(`${slot.id}/complete`, student).expect(403);
      const before = await balanceOf(mentor);
      const completions = await Promise.all([
        post(`${slot.id}/complete`, mentor),
        post(`${slot.id}/complete`, adminToken),
      ]);
      expect(completions.map((response) => response.status).sort()).toEqual([200, 409]);
      expect(await balanceOf(mentor)).toBe(before + 2);
      const slotRow = await app
        .http()
        .get(`/api/mentorship/slots/${slot.id}`)
        .set(auth(mentor))
        .expect(200);
      expect(slotRow.body).toMatchObject({ status: 'completed', earningsCredited: true });
    });

    it('answers every transition the lifecycle does not allow with 409 naming the current status', async () => {
      const student = await fundedStudent(2);
      const slot = await createSlot(app, mentor.token, { priceTokens: 1 });
      const review = await post(`${slot.id}/review`, mentor).expect(409);
      expect(review.body).toMatchObject({
        statusCode: 409,
        message: 'slot is tentative; cannot review',
      });
      await post(`${slot.id}/cancel`, student).expect(409);
      await post(`${slot.id}/complete`, mentor).expect(409);
      await post(`${slot.id}/cancel/approve`, adminToken).expect(409);
      await post(`${slot.id}/book`, student).expect(200);
      const request = await post(`${slot.id}/request`, student).expect(409);
      expect(request.body.message).toBe('slot is confirmed; cannot request');
    });
  });

  describe('lists', () => {
    it('filters slots by mentor and availability, and lists the caller’s bookings', async () => {
      const student = await fundedStudent(2);
      const mine = await createSlot(app, otherMentor.token, { priceTokens: 1 });
      await post(`${mine.id}/book`, student).expect(200);
      const open = await createSlot(app, otherMentor.token, { priceTokens: 1 });

      const available = await app
        .http()
        .get('/api/mentorship/slots')
        .query({ mentorId: otherMentor.id, available: 'true', limit: 100 })
        .set(auth(student))
        .expect(200);
      const ids = available.body.items.map((slot: { id: string }) => slot.id);
      expect(ids).toContain(open.id);
      expect(ids).not.toContain(mine.id);
      const starts = available.body.items.map((slot: { startsAt: string }) => slot.startsAt);
      expect([...starts].sort()).toEqual(starts);

      const bookings = await app
        .http()
        .get('/api/mentorship/bookings')
        .set(auth(student))
        .expect(200);
      expect(bookings.body.items.map((slot: { id: string }) => slot.id)).toEqual([mine.id]);
      const mentorView = await app
        .http()
        .get('/api/mentorship/bookings')
        .set(auth(otherMentor))
        .expect(200);
      expect(mentorView.body.items.map((slot: { id: string }) => slot.id)).toContain(mine.id);
      await app
        .http()
        .get('/api/mentorship/slots')
        .query({ status: 'booked' })
        .set(auth(student))
        .expect(400);
    });

    it('keeps one profile per expert and searches them by headline prefix', async () => {
      await app
        .http()
        .put('/api/mentorship/mentors/me')
        .set(auth(mentor))
        .send({ headline: 'Distributed systems', expertise: ['postgres'] })
        .expect(200);
      const replaced = await app
        .http()
        .put('/api/mentorship/mentors/me')
        .set(auth(mentor))
        .send({ headline: 'Databases at scale', expertise: ['postgres', 'kafka'], bio: 'Hi' })
        .expect(200);
      expect(replaced.body).toMatchObject({
        userId: mentor.id,
        headline: 'Databases at scale',
        expertise: ['postgres', 'kafka'],
      });
      await app
        .http()
        .put('/api/mentorship/mentors/me')
        .set(auth(adminToken))
        .send({ headline: 'x', expertise: [] })
        .expect(403);
      const found = await app
        .http()
        .get('/api/mentorship/mentors')
        .query({ q: 'databases' })
        .set(auth(mentor))
        .expect(200);
      expect(found.body.items.map((profile: { userId: string }) => profile.userId)).toEqual([
        mentor.id,
      ]);
      const count = await database.sql(
        `SELECT count(*)::int AS n FROM mentor_profiles WHERE user_id = $1`,
        [mentor.id],
      );
      expect(count.rows[0].n).toBe(1);
    });
  });
});
