import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { EmailTemplate } from '@mas/email';
import { createCourseBatch } from '@mas/testing/catalog.js';
import { emailSends } from '@mas/testing/email-sends.js';
import { EXPECTED_SCHEDULER_IDS, registeredSchedulerIds } from '@mas/testing/job-schedulers.js';
import { PrivateRedis } from '@mas/testing/private-redis.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { until } from '@mas/testing/until.js';
import { createUserWithRole } from '@mas/testing/users.js';

const STUDENTS = 6;
const BATCHES = 45;
const TOTAL = STUDENTS * BATCHES;

/** Per acknowledged application: how many `application_received` emails were recorded sent. */
const SENT_PER_APPLICATION = `
  SELECT a.id::text AS id,
         (SELECT count(*)::int FROM outbox_messages o
            JOIN email_deliveries d ON d.outbox_message_id = o.id AND d.status = 'sent'
           WHERE o.channel = 'email' AND o.topic = $2
             AND o.payload->'data'->>'applicationId' = a.id::text) AS sent
    FROM unnest($1::uuid[]) AS a(id)`;

/**
 * Redis SIGKILLed under HTTP load and started again empty: students apply to batches (each 201 is
 * an application whose "application received" email is in the outbox of the same transaction)
 * before, during and after the outage. The email worker is held on a lock until Redis is back, so
 * jobs wait in Redis when it dies and are lost with it. The hand-off timeout is far beyond the
 * test: only noticing the data loss can bring those emails back.
 */
describe('faults: Redis SIGKILLed under HTTP load, restarted empty', () => {
  let redis: PrivateRedis;
  let database: TestDatabase;
  let api: TestApp;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    database = await createTestDatabase({ migrated: true });
    api = await startTestApp(database, {
      REDIS_URL: redis.url,
      BULLMQ_PREFIX: `fault-redis-loss-${randomUUID()}`,
      OUTBOX_POLL_MS: '50',
      OUTBOX_HANDOFF_TIMEOUT_MS: '600000',
      REDIS_DATA_LOSS_CHECK_MS: '500',
    });
    await api.app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await api?.close().catch(() => undefined);
    await redis?.stop();
    await database?.drop();
  });

  it('sends every acknowledged email exactly once, gets the schedules back, answers no 500', async () => {
    const { port } = (api.app.getHttpServer() as Server).address() as AddressInfo;
    const base = `http://127.0.0.1:${port}/api`;
    const adminToken = await login(api, TEST_ADMIN.email, TEST_ADMIN.password);
    const students = await Promise.all(
      Array.from({ length: STUDENTS }, () => createUserWithRole(api, 'student', adminToken)),
    );
    const batches: string[] = [];
    for (let i = 0; i < BATCHES; i++) {
      batches.push(
        await createCourseBatch(
          api,
          adminToken,
          { code: `RL-${i}`, title: `Redis loss ${i}`, price: '100.00' },
          { name: `Batch ${i}`, startsOn: '2031-01-01', capacity: 100 },
        ),
      );
    }
    await until(
      async () =>
        (await registeredSchedulerIds(api.app)).length === EXPECTED_SCHEDULER_IDS.length
          ? true
          : undefined,
      'the schedules at boot',
    );

    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    let bad5xx = 0;
    let requests = 0;
    const client = async (token: string) => {
      for (const batchId of batches) {
        requests++;
        const response = await fetch(`${base}/lms/applications`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ batchId }),
        });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (
          response.status >= 500 &&
          !(response.status === 503 && response.headers.has('retry-after'))
        )
          bad5xx++;
        if (response.status === 201)
          acknowledged.push(((await response.json()) as { id: string }).id);
        else await response.arrayBuffer();
      }
    };

    // The email worker waits on this lock, so jobs pile up in Redis until it is back.
    const blocker = await database.session();
    let handedOffAtKill: number | undefined;
    let schedulesBackMs: number | undefined;
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE email_deliveries IN SHARE MODE');
      const load = Promise.all(students.map((student) => client(student.token)));
      await until(
        () => Promise.resolve(requests >= TOTAL / 3 ? true : undefined),
        'a third of the load',
        30_000,
      );
      await until(
        async () => ((await handedOff()) > 0 ? true : undefined),
        'emails handed to Redis',
      );
      handedOffAtKill = await handedOff();
      await redis.kill();
      await until(
        () => Promise.resolve(requests >= (2 * TOTAL) / 3 ? true : undefined),
        'two thirds of the load',
        30_000,
      );
      await redis.restart();
      const restartedAt = Date.now();
      await blocker.query('COMMIT');
      await until(async () => {
        const ids = await registeredSchedulerIds(api.app).catch(() => []);
        return ids.length === EXPECTED_SCHEDULER_IDS.length ? true : undefined;
      }, 'the schedules after the empty restart');
      schedulesBackMs = Date.now() - restartedAt;
      await load;
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }

    const sentCounts = async () =>
      (await database.sql(SENT_PER_APPLICATION, [acknowledged, EmailTemplate.ApplicationReceived]))
        .rows as { id: string; sent: number }[];
    await until(
      async () => ((await sentCounts()).every((row) => row.sent >= 1) ? true : undefined),
      'every acknowledged email to be sent',
      20_000,
    ).catch(() => undefined);
    const counts = await sentCounts();
    const sent = counts.filter((row) => row.sent >= 1).length;
    // Sent once, not just recorded once: one log-transport line per send.
    const sends = emailSends(api.logs, (line) =>
      line.includes('We received your application')
        ? /Application: ([0-9a-f-]{36})/.exec(line)?.[1]
        : undefined,
    );
    const duplicates =
      counts.filter((row) => row.sent > 1).length +
      acknowledged.filter((id) => (sends.get(id) ?? 0) > 1).length;
    const status503 = statuses.get(503) ?? 0;
    const all5xx = [...statuses].filter(([status]) => status >= 500).reduce((n, [, c]) => n + c, 0);
    console.log(
      `redis-loss: requests ${requests}, 5xx ${all5xx}, 503 ${status503}, ` +
        `emails sent/expected ${sent}/${acknowledged.length}, duplicates ${duplicates}, ` +
        `schedules back after ${schedulesBackMs}ms (handed off in Redis at the kill: ${handedOffAtKill}; ` +
        `statuses ${JSON.stringify(Object.fromEntries(statuses))})`,
    );

    expect({
      requests,
      acknowledgedSome: acknowledged.length > 0,
      unexpected5xx: bad5xx,
      emailsMissing: acknowledged.length - sent,
      logSendsMissing: acknowledged.filter((id) => !sends.has(id)).length,
      duplicates,
      schedules: await registeredSchedulerIds(api.app),
    }).toEqual({
      requests: TOTAL,
      acknowledgedSome: true,
      unexpected5xx: 0,
      emailsMissing: 0,
      logSendsMissing: 0,
      duplicates: 0,
      schedules: EXPECTED_SCHEDULER_IDS,
    });

    async function handedOff(): Promise<number> {
      const { rows } = await database.sql(
        `SELECT count(*)::int AS n FROM outbox_messages WHERE channel = 'email' AND status = 'handed_off'`,
      );
      return (rows[0] as { n: number }).n;
    }
  }, 60_000);
});
