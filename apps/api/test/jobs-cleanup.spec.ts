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
import { CleanupService } from '../src/jobs/cleanup/cleanup.service.js';

const EXPIRED = 1234;

describe('jobs: cleanup of expired slots and old outbox rows', () => {
  let database: TestDatabase;
  let app: TestApp;
  let adminToken: string;
  let mentor: TestUser;
  let student: TestUser;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database, { OUTBOX_RETENTION_DAYS: '7' });
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    mentor = await createUserWithRole(app, 'expert', adminToken);
    student = await createUserWithRole(app, 'student', adminToken);
  });

  afterAll(async () => {
    await stopWithQueues(app);
    await database?.drop();
  });

  const slotStatuses = async () =>
    (
      await database.sql(
        `SELECT id, status, ends_at < now() AS expired FROM slots WHERE mentor_id = $1`,
        [mentor.id],
      )
    ).rows as { id: string; status: string; expired: boolean }[];

  it('deletes expired unbooked slots in batches, keeps booked, future and ledger-referenced ones, and is idempotent', async () => {
    // More expired tentative slots than one batch, an hour apart so they never overlap.
    await database.sql(
      `INSERT INTO slots (mentor_id, starts_at, ends_at, status, price_tokens)
       SELECT $1, now() - make_interval(hours => i + 1), now() - make_interval(hours => i + 1) + interval '30 minutes',
              'tentative', 2
         FROM generate_series(1, $2::int) AS i`,
      [mentor.id, EXPIRED],
    );
    // Expired but booked (confirmed, cancelled, completed): kept.
    const booked = await database.sql(
      `INSERT INTO slots (mentor_id, student_id, starts_at, ends_at, status, price_tokens)
       SELECT $1, $2, now() - make_interval(days => (200 + i)::int), now() - make_interval(days => (200 + i)::int) + interval '30 minutes',
              status::meeting_status, 2
         FROM unnest(ARRAY['confirmed', 'cancelled', 'completed', 'meeting_requested']) WITH ORDINALITY AS s(status, i)
       RETURNING id`,
      [mentor.id, student.id],
    );
    // Tentative in the future: kept.
    const future = await createSlot(app, mentor.token);
    // Tentative and expired, but the ledger points at it (requested, then rejected): kept.
    await fund(app, adminToken, student.id, 10);
    const requested = await createSlot(app, mentor.token);
    const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
    await app
      .http()
      .post(`/api/mentorship/slots/${requested.id}/request`)
      .set(auth(student.token))
      .expect(200);
    await app
      .http()
      .post(`/api/mentorship/slots/${requested.id}/reject`)
      .set(auth(mentor.token))
      .expect(200);
    await database.sql(
      `UPDATE slots SET starts_at = now() - interval '300 days', ends_at = now() - interval '300 days' + interval '30 minutes'
        WHERE id = $1`,
      [requested.id],
    );
    const referenced = await database.sql(
      `SELECT count(*)::int AS n FROM token_usages WHERE slot_id = $1`,
      [requested.id],
    );
    expect(referenced.rows[0].n).toBe(2);

    const kept = [...booked.rows.map((row: { id: string }) => row.id), future.id, requested.id];
    const before = await slotStatuses();
    expect(before).toHaveLength(EXPIRED + kept.length);

    const cleanup = app.app.get(CleanupService);
    const first = await cleanup.run({ batchSize: 500 });
    expect(first.expiredSlotsDeleted).toBe(EXPIRED);

    const after = await slotStatuses();
    expect(after.map((slot) => slot.id).sort()).toEqual([...kept].sort());
    const requestedSlot = after.find((slot) => slot.id === requested.id)!;
    expect(requestedSlot).toMatchObject({ status: 'tentative', expired: true });

    const second = await cleanup.run({ batchSize: 500 });
    expect(second).toEqual({ expiredSlotsDeleted: 0, outboxMessagesPruned: 0 });
    expect(await slotStatuses()).toHaveLength(kept.length);
  });

  it('stops after maxRounds batches per run and finishes on the next run', async () => {
    await database.sql(
      `INSERT INTO slots (mentor_id, starts_at, ends_at, status, price_tokens)
       SELECT $1, now() - make_interval(hours => i + 1), now() - make_interval(hours => i + 1) + interval '30 minutes',
              'tentative', 2
         FROM generate_series(1, 250) AS i`,
      [mentor.id],
    );
    const cleanup = app.app.get(CleanupService);
    expect((await cleanup.run({ batchSize: 100, maxRounds: 2 })).expiredSlotsDeleted).toBe(200);
    expect((await cleanup.run({ batchSize: 100, maxRounds: 2 })).expiredSlotsDeleted).toBe(50);
    expect((await cleanup.run({ batchSize: 100, maxRounds: 2 })).expiredSlotsDeleted).toBe(0);
  });

  it('prunes dispatched outbox rows older than the retention, never pending, failed or recent ones', async () => {
    await database.sql(`DELETE FROM outbox_messages`);
    await database.sql(
      `INSERT INTO outbox_messages (channel, topic, payload, status, dispatched_at, created_at)
       SELECT 'realtime', 'old.dispatched', '{}', 'dispatched', now() - interval '8 days', now() - interval '8 days'
         FROM generate_series(1, 1100)`,
    );
    await database.sql(
      `INSERT INTO outbox_messages (channel, topic, payload, status, dispatched_at, created_at, next_attempt_at)
       VALUES ('realtime', 'recent.dispatched', '{}', 'dispatched', now() - interval '6 days', now() - interval '6 days', now()),
              ('realtime', 'old.failed', '{}', 'failed', NULL, now() - interval '30 days', now()),
              ('realtime', 'old.pending', '{}', 'pending', NULL, now() - interval '30 days', now() + interval '1 day')`,
    );
    const cleanup = app.app.get(CleanupService);
    const first = await cleanup.run();
    expect(first.outboxMessagesPruned).toBe(1100);
    const left = await database.sql(`SELECT topic FROM outbox_messages ORDER BY topic`);
    expect(left.rows.map((row: { topic: string }) => row.topic)).toEqual([
      'old.failed',
      'old.pending',
      'recent.dispatched',
    ]);
    expect((await cleanup.run()).outboxMessagesPruned).toBe(0);
  });

  it('runs as the cleanup job through BullMQ and returns the counts', async () => {
    await database.sql(
      `INSERT INTO slots (mentor_id, starts_at, ends_at, status, price_tokens)
       VALUES ($1, now() - interval '500 days', now() - interval '500 days' + interval '30 minutes', 'tentative', 2)`,
      [mentor.id],
    );
    const queue = app.app.get(QueueRegistry).get('cleanup')!;
    const job = await queue.add('cleanup', {});
    const result = await waitForResult(job.id!, queue);
    expect(result).toEqual({ expiredSlotsDeleted: 1, outboxMessagesPruned: 0 });
  });
});

async function waitForResult(
  jobId: string,
  queue: NonNullable<ReturnType<QueueRegistry['get']>>,
): Promise<unknown> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const job = await queue.getJob(jobId);
    if (job?.finishedOn) {
      if (job.failedReason) throw new Error(job.failedReason);
      return job.returnvalue;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${jobId} did not finish`);
}
