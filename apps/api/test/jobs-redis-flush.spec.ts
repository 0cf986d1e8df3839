import { randomUUID } from 'node:crypto';
import { EMAIL_QUEUE, EmailTemplate } from '@mas/email';
import { QueueRegistry } from '@mas/jobs';
import { OutboxService, TransactionRunner } from '@mas/persistence';
import { Redis } from 'ioredis';
import { emailSends } from '@mas/testing/email-sends.js';
import { EXPECTED_SCHEDULER_IDS, registeredSchedulerIds } from '@mas/testing/job-schedulers.js';
import { PrivateRedis } from '@mas/testing/private-redis.js';
import { startTestApp, type TestApp } from '@mas/testing/test-app.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { until } from '@mas/testing/until.js';
import { REDIS } from '../src/redis/redis.module.js';

/**
 * A Redis emptied under open connections (FLUSHALL; a failover behind a proxy looks the same): no
 * connection drops, so only the data-loss watcher's marker can tell. The hand-off timeout is far
 * beyond the test, so nothing but the watcher can bring the schedules and the lost email back.
 */
describe('jobs survive a Redis emptied without dropping connections', () => {
  const prefix = `redis-flush-${randomUUID()}`;
  let redis: PrivateRedis;
  let admin: Redis;
  let database: TestDatabase;
  let api: TestApp;
  let connectionCloses = 0;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    admin = new Redis(redis.url);
    database = await createTestDatabase({ migrated: true });
    api = await startTestApp(database, {
      REDIS_URL: redis.url,
      BULLMQ_PREFIX: prefix,
      OUTBOX_POLL_MS: '50',
      OUTBOX_HANDOFF_TIMEOUT_MS: '600000',
      REDIS_DATA_LOSS_CHECK_MS: '200',
    });
    api.app.get<Redis>(REDIS).on('close', () => connectionCloses++);
  });

  afterAll(async () => {
    await api?.close().catch(() => undefined);
    admin?.disconnect();
    await redis?.stop();
    await database?.drop();
  });

  const emailQueue = () => api.app.get(QueueRegistry).get(EMAIL_QUEUE)!;
  const schedulesRegistered = async () =>
    (await registeredSchedulerIds(api.app).catch(() => [])).length === EXPECTED_SCHEDULER_IDS.length
      ? true
      : undefined;
  const outboxRow = async (to: string) =>
    (
      await database.sql(
        `SELECT o.id, o.status::text AS status, o.handed_off_at,
                (SELECT count(*)::int FROM email_deliveries d
                  WHERE d.outbox_message_id = o.id AND d.status = 'sent') AS sent
           FROM outbox_messages o WHERE o.channel = 'email' AND o.payload->>'to' = $1`,
        [to],
      )
    ).rows[0] as { id: string; status: string; handed_off_at: Date; sent: number } | undefined;

  /** An email whose job waits in Redis (the email queue paused in Redis): handed off, not sent. */
  const handedOffEmail = async () => {
    const to = `student-${randomUUID()}@redis-flush.test`;
    await emailQueue().pause();
    await api.app.get(TransactionRunner).run((tx) =>
      api.app.get(OutboxService).email(tx, {
        template: EmailTemplate.ApplicationReceived,
        to,
        data: { fullName: 'Flushed Student', applicationId: randomUUID(), batchName: 'B' },
      }),
    );
    const row = await until(async () => {
      const found = await outboxRow(to);
      return found?.status === 'handed_off' ? found : undefined;
    }, 'the relay to hand the email to Redis');
    expect(await emailQueue().getJob(row.id)).toBeDefined();
    return { to, row };
  };
  const sendsTo = (to: string) =>
    emailSends(api.logs, (line) => (line.includes(to) ? to : undefined));

  it('FLUSHALL: the schedules come back and the lost email is sent exactly once', async () => {
    await until(schedulesRegistered, 'the schedules at boot');
    const { to, row } = await handedOffEmail();

    await admin.flushall();

    await until(schedulesRegistered, 'the schedules after FLUSHALL');
    const sent = await until(async () => {
      const found = await outboxRow(to);
      return found?.status === 'dispatched' ? found : undefined;
    }, 'the flushed email to be sent');

    expect({
      schedules: await registeredSchedulerIds(api.app),
      outboxRow: row.id,
      sentDeliveries: sent.sent,
      sends: sendsTo(to).get(to),
      connectionCloses,
    }).toEqual({
      schedules: EXPECTED_SCHEDULER_IDS,
      outboxRow: sent.id,
      sentDeliveries: 1,
      sends: 1,
      connectionCloses: 0,
    });
  }, 60_000);

  it('a marker lost alone (evicted): the surviving job is re-queued under its id and sent once', async () => {
    const { to, row } = await handedOffEmail();

    await admin.del(`${prefix}:alive`);
    // Re-queued and handed off again: the relay added the job a second time under the same id.
    await until(async () => {
      const found = await outboxRow(to);
      return found?.status === 'handed_off' && found.handed_off_at > row.handed_off_at
        ? true
        : undefined;
    }, 'the handed-off email to be re-queued');
    expect(await emailQueue().getJob(row.id)).toBeDefined();
    await emailQueue().resume();

    const sent = await until(async () => {
      const found = await outboxRow(to);
      return found?.status === 'dispatched' ? found : undefined;
    }, 'the email to be sent');
    expect({ sentDeliveries: sent.sent, sends: sendsTo(to).get(to) }).toEqual({
      sentDeliveries: 1,
      sends: 1,
    });
  }, 60_000);
});
