import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { type INestApplicationContext } from '@nestjs/common';
import { EmailTemplate } from '@mas/email';
import { OutboxService, TransactionRunner } from '@mas/persistence';
import { emailSends } from '@mas/testing/email-sends.js';
import { EXPECTED_SCHEDULER_IDS, registeredSchedulerIds } from '@mas/testing/job-schedulers.js';
import { PrivateRedis } from '@mas/testing/private-redis.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { startTestApp, type TestApp, testEnv } from '@mas/testing/test-app.js';
import { until } from '@mas/testing/until.js';
import { loadAppConfig } from '../src/config/app-config.js';
import { createWorkerApp } from '../src/worker.js';

const ROUND = 10;

/**
 * Email outbox rows whose email was not sent exactly once, and rows that never finished: with
 * `::text` comparisons, so the same SQL also runs against a schema without the handed_off status.
 */
const LOST_EMAILS = `
  SELECT o.id, o.status::text AS status,
         (SELECT count(*)::int FROM email_deliveries d
           WHERE d.outbox_message_id = o.id AND d.status = 'sent') AS sent
    FROM outbox_messages o
   WHERE o.channel = 'email'
     AND (SELECT count(*) FROM email_deliveries d
           WHERE d.outbox_message_id = o.id AND d.status = 'sent') <> 1`;
const STUCK_ROWS = `SELECT id, channel::text AS channel, status::text AS status FROM outbox_messages
                     WHERE status::text IN ('pending', 'handed_off')`;

describe('jobs survive a Redis that forgets: SIGKILL mid-load, restart empty', () => {
  const prefix = `redis-loss-${randomUUID()}`;
  const workerLogs: string[] = [];
  let redis: PrivateRedis;
  let database: TestDatabase;
  let api: TestApp;
  let worker: INestApplicationContext | undefined;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    database = await createTestDatabase({ migrated: true });
    const env = {
      REDIS_URL: redis.url,
      BULLMQ_PREFIX: prefix,
      OUTBOX_POLL_MS: '50',
      OUTBOX_HANDOFF_TIMEOUT_MS: '2000',
    };
    api = await startTestApp(database, { ...env, APP_ROLE: 'api' });
    const config = loadAppConfig(
      testEnv(database, { ...env, APP_ROLE: 'worker', WORKER_HEALTH_PORT: '0', HOST: '127.0.0.1' }),
    );
    worker = await createWorkerApp({
      config,
      connection: config.database.connection!,
      logDestination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          workerLogs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
          done();
        },
      }),
    });
  });

  afterAll(async () => {
    // Each step even if an earlier one failed: no app, database or redis-server outlives the file.
    await worker?.close().catch(() => undefined);
    await api?.close().catch(() => undefined);
    await redis?.stop();
    await database?.drop();
  });

  const rows = async (sql: string) => (await database.sql(sql)).rows;
  const count = async (sql: string) => ((await rows(sql))[0] as { n: number }).n;
  const schedulerIds = () => registeredSchedulerIds(api.app);

  /** One round of load: ROUND application emails, each committed in its own transaction. */
  let sentRounds = 0;
  const emailRound = async () => {
    const round = sentRounds++;
    await Promise.all(
      Array.from({ length: ROUND }, (_, i) =>
        api.app.get(TransactionRunner).run((tx) =>
          api.app.get(OutboxService).email(tx, {
            template: EmailTemplate.ApplicationReceived,
            to: `student-${round}-${i}@redis-loss.test`,
            data: {
              fullName: `Student ${round}-${i}`,
              applicationId: randomUUID(),
              batchName: 'B',
            },
          }),
        ),
      ),
    );
  };

  it('sends every email exactly once and gets the schedules back without a restart', async () => {
    const expectedSchedules = EXPECTED_SCHEDULER_IDS;
    await until(
      async () => ((await schedulerIds()).length === expectedSchedules.length ? true : undefined),
      'the schedules at boot',
    );

    // The email worker is slow (its delivery inserts wait on a lock), so jobs queue up in Redis.
    const blocker = await database.session();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE email_deliveries IN SHARE MODE');
      for (let i = 0; i < 6; i++) {
        await emailRound();
        await sleep(50);
      }
      // Every row so far is in Redis (the relay added its job): the moment the incident measured.
      await until(
        async () =>
          (await count(
            `SELECT count(*)::int AS n FROM outbox_messages WHERE channel = 'email' AND status = 'pending'`,
          )) === 0
            ? true
            : undefined,
        'the relay to hand every email to Redis',
      );
      await redis.kill();
      for (let i = 0; i < 2; i++) {
        await emailRound();
        await sleep(100);
      }
      await redis.restart();
    } finally {
      await blocker.query('COMMIT').catch(() => undefined);
      await blocker.end();
    }
    for (let i = 0; i < 2; i++) {
      await emailRound();
      await sleep(50);
    }

    const schedules = await until(
      async () => {
        const ids = await schedulerIds().catch(() => []);
        return ids.length === expectedSchedules.length ? ids : undefined;
      },
      'the schedules after the empty restart',
      20_000,
    ).catch(() => schedulerIds());

    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      if ((await rows(LOST_EMAILS)).length === 0 && (await rows(STUCK_ROWS)).length === 0) break;
      await sleep(250);
    }
    // Sent once, not just recorded once: one log-transport line per recipient. Both apps share
    // one process, and Nest's static logger writes to whichever app set it last.
    const sends = emailSends(
      [...workerLogs, ...api.logs],
      (line) => / to (student-\d+-\d+@redis-loss\.test)/.exec(line)?.[1],
    );
    // One comparison, so a failure shows every broken promise at once.
    expect({
      schedules,
      emailRows: await count(
        `SELECT count(*)::int AS n FROM outbox_messages WHERE channel = 'email'`,
      ),
      emailRowsNotSentExactlyOnce: (await rows(LOST_EMAILS)).length,
      rowsStuckPendingOrHandedOff: (await rows(STUCK_ROWS)).length,
      recipientsMailed: sends.size,
      recipientsMailedMoreThanOnce: [...sends.values()].filter((n) => n > 1).length,
    }).toEqual({
      schedules: expectedSchedules,
      emailRows: sentRounds * ROUND,
      emailRowsNotSentExactlyOnce: 0,
      rowsStuckPendingOrHandedOff: 0,
      recipientsMailed: sentRounds * ROUND,
      recipientsMailedMoreThanOnce: 0,
    });
  }, 120_000);
});
