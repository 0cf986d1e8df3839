import { randomUUID } from 'node:crypto';
import { type JobHandler, OUTBOX_ROW_ENDED } from '@mas/jobs';
import {
  OutboxChannel,
  OutboxCompletion,
  OutboxReconciler,
  OutboxRelay,
  OutboxService,
  TransactionRunner,
} from '@mas/persistence';
import { type Job, UnrecoverableError } from 'bullmq';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { startTestApp, stopWithQueues, type TestApp } from '@mas/testing/test-app.js';
import { until } from '@mas/testing/until.js';
import { outboxCompletingProcessor } from '../src/jobs/outbox-completing-processor.js';

describe('outbox hand-off: job rows end when their consumer ran, overdue ones are re-queued', () => {
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database, {
      BULLMQ_PREFIX: `outbox-handoff-${randomUUID()}`,
      OUTBOX_POLL_MS: '50',
    });
  });

  afterAll(async () => {
    await stopWithQueues(app);
    await database?.drop();
  });

  const row = async (id: string) =>
    (
      await database.sql(
        `SELECT status::text, handed_off_at IS NOT NULL AS handed_off, dispatched_at IS NOT NULL AS done,
                last_error FROM outbox_messages WHERE id = $1`,
        [id],
      )
    ).rows[0] as { status: string; handed_off: boolean; done: boolean; last_error: string | null };
  const insert = async (status: string, extra = '', values: unknown[] = []) =>
    (
      (
        await database.sql(
          `INSERT INTO outbox_messages (channel, topic, payload, status, handed_off_at, run_at)
           VALUES ('job', 'no-such-queue', '{}', '${status}', ${extra || 'now(), NULL'}) RETURNING id`,
          values,
        )
      ).rows[0] as { id: string }
    ).id;

  it('a job row is handed off when its job is in Redis and done only once the handler ran', async () => {
    await app.app
      .get(TransactionRunner)
      .run((tx) =>
        app.app
          .get(OutboxService)
          .job(tx, 'kpi', { reason: 'handoff' }, new Date(Date.now() + 1500)),
      );
    const { id } = (
      await database.sql(`SELECT id FROM outbox_messages WHERE payload ->> 'reason' = 'handoff'`)
    ).rows[0] as { id: string };
    // The delayed job sits in Redis: the row waits on its consumer.
    const waiting = await until(
      async () => ((await row(id)).status === 'handed_off' ? row(id) : undefined),
      'the hand-off',
    );
    expect(waiting).toEqual({
      status: 'handed_off',
      handed_off: true,
      done: false,
      last_error: null,
    });
    const done = await until(
      async () => ((await row(id)).status === 'dispatched' ? row(id) : undefined),
      'the kpi job to complete the row',
    );
    expect(done).toMatchObject({ status: 'dispatched', done: true });
    const snapshots = await database.sql(`SELECT count(*)::int AS n FROM superadmin.kpi_snapshots`);
    expect(snapshots.rows[0].n).toBe(1);
  });

  it('the worker ends a row as failed only after the last attempt; jobs without a row are left alone', async () => {
    const completion = app.app.get(OutboxCompletion);
    const failing: JobHandler = {
      handle: () => Promise.reject(new Error('handler broke')),
    };
    const run = outboxCompletingProcessor(failing, completion);
    const id = await insert('handed_off');
    const job = (attemptsMade: number) =>
      ({ id, data: {}, attemptsMade, opts: { attempts: 3 } }) as unknown as Job;
    await expect(run(job(0))).rejects.toThrow('handler broke');
    expect((await row(id)).status).toBe('handed_off');
    await expect(run(job(2))).rejects.toThrow('handler broke');
    expect(await row(id)).toMatchObject({ status: 'failed', last_error: 'handler broke' });

    const unrecoverable = await insert('handed_off');
    const refusing: JobHandler = {
      ...failing,
      handle: () => Promise.reject(new UnrecoverableError('never')),
    };
    await expect(
      outboxCompletingProcessor(
        refusing,
        completion,
      )({
        id: unrecoverable,
        attemptsMade: 0,
        opts: { attempts: 3 },
      } as unknown as Job),
    ).rejects.toThrow('never');
    expect((await row(unrecoverable)).status).toBe('failed');

    const ok: JobHandler = { ...failing, handle: () => Promise.resolve('ran') };
    await expect(
      outboxCompletingProcessor(
        ok,
        completion,
      )({
        id: 'repeat:kpi-every-15-minutes:1',
        opts: {},
      } as unknown as Job),
    ).resolves.toBe('ran');

    // A handler that ended its row with its effect: the worker does not write it again.
    const endedByHandler = await insert('handed_off');
    const ending: JobHandler = { ...failing, handle: () => Promise.resolve(OUTBOX_ROW_ENDED) };
    await expect(
      outboxCompletingProcessor(ending, completion)({ id: endedByHandler } as unknown as Job),
    ).resolves.toBeUndefined();
    expect((await row(endedByHandler)).status).toBe('handed_off');
  });

  it('re-queues rows handed off longer than the bound, not recent ones nor delayed jobs not yet due', async () => {
    const overdue = await insert('handed_off', `now() - interval '2 minutes', NULL`);
    const recent = await insert('handed_off', `now() - interval '10 seconds', NULL`);
    const delayed = await insert(
      'handed_off',
      `now() - interval '2 minutes', now() + interval '1 hour'`,
    );
    const done = await insert('dispatched', `now() - interval '2 minutes', NULL`);
    expect(await app.app.get(OutboxReconciler).reconcileOnce()).toBe(1);
    // Pending again (the relay then fails on the unknown queue and keeps it pending).
    expect((await row(overdue)).status).toBe('pending');
    expect((await row(recent)).status).toBe('handed_off');
    expect((await row(delayed)).status).toBe('handed_off');
    expect((await row(done)).status).toBe('dispatched');
    expect(app.logs.some((line) => line.includes('re-queued 1 outbox messages'))).toBe(true);
  });
});

describe('outbox hand-off: a consumer that finishes before the relay records the hand-off', () => {
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    // No relay loop: the test drains by hand, with a dispatcher whose "consumer" is instant.
    app = await startTestApp(database, {
      APP_ROLE: 'api',
      OUTBOX_RELAY_ENABLED: 'false',
      BULLMQ_PREFIX: `outbox-handoff-race-${randomUUID()}`,
    });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('keeps the row done: the relay only moves a still-pending row to handed_off', async () => {
    const relay = app.app.get(OutboxRelay);
    const completion = app.app.get(OutboxCompletion);
    relay.register(OutboxChannel.Job, (message) => completion.done(message.id), {
      consumerCompletes: true,
    });
    await app.app
      .get(TransactionRunner)
      .run((tx) => app.app.get(OutboxService).job(tx, 'kpi', { reason: 'race' }));
    expect(await relay.drainOnce()).toBe(1);
    const { rows } = await database.sql(
      `SELECT status::text, handed_off_at FROM outbox_messages WHERE payload ->> 'reason' = 'race'`,
    );
    expect(rows).toEqual([{ status: 'dispatched', handed_off_at: null }]);
  });
});
