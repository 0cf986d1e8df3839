import { randomUUID } from 'node:crypto';
import { OWNER_WORKFLOW_EMAILS } from '@mas/crm';
import { type EmailJobData, EmailTemplate, EmailTemplates } from '@mas/email';
import { QueueRegistry } from '@mas/jobs';
import { APPLICANT_WORKFLOW_EMAILS } from '@mas/lms';
import { OutboxService, TransactionRunner } from '@mas/persistence';
import type { Job } from 'bullmq';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { startTestApp, stopWithQueues, type TestApp } from '@mas/testing/test-app.js';
import { EmailJobHandler } from '../src/email/email-job.handler.js';
import { renderEmail } from '../src/email/templates/render-email.js';
import { until } from '@mas/testing/until.js';

function fakeJob(data: EmailJobData, attemptsMade = 0, attempts = 5): Job<EmailJobData> {
  return { id: data.outboxMessageId, data, attemptsMade, opts: { attempts } } as Job<EmailJobData>;
}

function confirmation(to = `student-${randomUUID()}@example.com`): EmailJobData {
  return {
    outboxMessageId: randomUUID(),
    template: EmailTemplate.BookingConfirmation,
    to,
    data: { fullName: 'Ada <b>Lovelace</b>', startsAt: '2030-05-01T14:00:00.000Z' },
  };
}

/** An email outbox row as the relay leaves it once the job is in Redis; returns its job data. */
async function handedOffEmail(database: TestDatabase): Promise<EmailJobData> {
  const message = confirmation();
  await database.sql(
    `INSERT INTO outbox_messages (id, channel, topic, payload, status, handed_off_at)
     VALUES ($1, 'email', $2, $3, 'handed_off', now())`,
    [message.outboxMessageId, message.template, { to: message.to, data: message.data }],
  );
  return message;
}

async function outboxRow(database: TestDatabase, id: string) {
  const { rows } = await database.sql(
    `SELECT status, dispatched_at IS NOT NULL AS done_at, last_error FROM outbox_messages WHERE id = $1`,
    [id],
  );
  return rows[0] as { status: string; done_at: boolean; last_error: string | null };
}

describe('email templates', () => {
  it('lists the templates other code may name', () => {
    expect([...EmailTemplates].sort()).toEqual([
      'application_received',
      'application_review_reminder',
      'application_under_review',
      'booking_cancelled',
      'booking_confirmation',
      'pap_agreement_reminder',
      'pap_onboarding',
    ]);
  });

  it('renders every email a workflow action may send', () => {
    const data = {
      fullName: 'Ada',
      applicantName: 'Grace',
      applicationId: 'a-1',
      ownerName: 'Sam',
      batchName: 'Spring',
    };
    for (const template of [...APPLICANT_WORKFLOW_EMAILS, ...OWNER_WORKFLOW_EMAILS]) {
      expect(EmailTemplates).toContain(template);
      expect(renderEmail(template, data).text).toContain('Hi Ada,');
    }
    expect(renderEmail('application_under_review', data).text).toContain('Sam from our admissions');
  });

  it('renders plain text and escaped HTML from the data', () => {
    const email = renderEmail(EmailTemplate.BookingConfirmation, {
      fullName: 'Ada <script>alert("x")</script>',
      mentorName: 'Grace & co',
      startsAt: '2030-05-01T14:00:00.000Z',
      priceTokens: 3,
    });
    expect(email.subject).toBe('Your mentorship session with Grace & co is confirmed');
    expect(email.text).toContain('Hi Ada <script>alert("x")</script>,');
    expect(email.text).toMatch(/Starts: Wednesday,? 1 May 2030.* 14:00 UTC/);
    expect(email.text).toContain('Tokens: 3');
    expect(email.html).toContain('Hi Ada &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,');
    expect(email.html).toContain('Grace &amp; co');
    expect(email.html).not.toContain('<script>');

    const cancelled = renderEmail(EmailTemplate.BookingCancelled, {
      fullName: 'Ada',
      startsAt: '2030-05-01T14:00:00.000Z',
      reason: 'mentor ill',
    });
    expect(cancelled.text).toContain('Reason: mentor ill');
    const received = renderEmail(EmailTemplate.ApplicationReceived, {
      fullName: 'Ada',
      applicationId: 'a-1',
      batchName: 'Spring',
    });
    expect(received.subject).toBe('We received your application for Spring');
  });

  it('refuses unknown templates and missing or malformed data', () => {
    expect(() => renderEmail('nope', {})).toThrow('unknown email template "nope"');
    expect(() => renderEmail(EmailTemplate.ApplicationReceived, { fullName: 'A' })).toThrow(
      'template application_received: data.applicationId is required',
    );
    expect(() =>
      renderEmail(EmailTemplate.BookingCancelled, { fullName: 'A', startsAt: 'yesterday' }),
    ).toThrow('data.startsAt must be an ISO-8601 timestamp');
  });
});

describe('jobs: email delivery (log transport)', () => {
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database);
  });

  afterAll(async () => {
    await stopWithQueues(app);
    await database?.drop();
  });

  const sentLogLines = (to: string) =>
    app.logs.filter((line) => line.includes('email (log transport') && line.includes(to));
  const deliveries = async (id: string) =>
    (await database.sql(`SELECT * FROM email_deliveries WHERE outbox_message_id = $1`, [id])).rows;

  it('sends a message once even when its job runs twice', async () => {
    const handler = app.app.get(EmailJobHandler);
    const message = confirmation();
    expect(await handler.handle(fakeJob(message))).toBe('sent');
    expect(await handler.handle(fakeJob(message, 1))).toBe('already-handled');
    expect(sentLogLines(message.to)).toHaveLength(1);
    expect(await deliveries(message.outboxMessageId)).toMatchObject([
      { template: 'booking_confirmation', recipient: message.to, status: 'sent', error: null },
    ]);
  });

  it('ends its handed-off outbox row with the delivery, and a duplicate run finds it ended', async () => {
    const handler = app.app.get(EmailJobHandler);
    const message = await handedOffEmail(database);
    expect(await handler.handle(fakeJob(message))).toBe('sent');
    expect(await outboxRow(database, message.outboxMessageId)).toEqual({
      status: 'dispatched',
      done_at: true,
      last_error: null,
    });
    // A run that finds the delivery (e.g. the reconciler re-queued the row meanwhile) ends it too.
    await database.sql(`UPDATE outbox_messages SET status = 'pending' WHERE id = $1`, [
      message.outboxMessageId,
    ]);
    expect(await handler.handle(fakeJob(message, 1))).toBe('already-handled');
    expect((await outboxRow(database, message.outboxMessageId)).status).toBe('dispatched');
    expect(sentLogLines(message.to)).toHaveLength(1);
  });

  it('sends once when two runs of the same job race', async () => {
    const handler = app.app.get(EmailJobHandler);
    const message = confirmation();
    const outcomes = await Promise.all([
      handler.handle(fakeJob(message)),
      handler.handle(fakeJob(message)),
    ]);
    expect(outcomes.sort()).toEqual(['already-handled', 'sent']);
    expect(sentLogLines(message.to)).toHaveLength(1);
  });

  it('records data that can never render as failed at once, without retries', async () => {
    const handler = app.app.get(EmailJobHandler);
    const message = { ...confirmation(), template: 'no_such_template' };
    await expect(handler.handle(fakeJob(message))).rejects.toMatchObject({
      name: 'UnrecoverableError',
    });
    expect(await deliveries(message.outboxMessageId)).toMatchObject([
      { status: 'failed', error: 'unknown email template "no_such_template"' },
    ]);
  });

  it('delivers an outbox email end to end: relay → email queue (job id = outbox id) → worker', async () => {
    const to = `outbox-${randomUUID()}@example.com`;
    await app.app.get(TransactionRunner).run((tx) =>
      app.app.get(OutboxService).email(tx, {
        template: EmailTemplate.ApplicationReceived,
        to,
        data: { fullName: 'Ada', applicationId: 'app-1', batchName: 'Spring' },
      }),
    );
    const [outbox] = (
      await database.sql(`SELECT id FROM outbox_messages WHERE payload ->> 'to' = $1`, [to])
    ).rows as { id: string }[];
    const delivery = await until(async () => (await deliveries(outbox.id))[0], 'the delivery');
    expect(delivery).toMatchObject({
      template: 'application_received',
      recipient: to,
      status: 'sent',
    });
    const job = await app.app.get(QueueRegistry).get('email')!.getJob(outbox.id);
    expect(job).toMatchObject({ id: outbox.id, name: 'application_received' });
    const relayed = await until(
      async () =>
        (
          await database.sql(
            `SELECT status FROM outbox_messages WHERE id = $1 AND status = 'dispatched'`,
            [outbox.id],
          )
        ).rows[0],
      'the outbox row to be dispatched',
    );
    expect(relayed).toEqual({ status: 'dispatched' });
    expect(sentLogLines(to)).toHaveLength(1);
  });
});

describe('jobs: email delivery (failing SMTP)', () => {
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database, { SMTP_URL: 'smtp://127.0.0.1:1' });
  });

  afterAll(async () => {
    await stopWithQueues(app);
    await database?.drop();
  });

  const deliveries = async (id: string) =>
    (await database.sql(`SELECT * FROM email_deliveries WHERE outbox_message_id = $1`, [id])).rows;

  it('leaves a failed attempt retryable and records the failure after the last attempt', async () => {
    const handler = app.app.get(EmailJobHandler);
    const message = confirmation();
    await expect(handler.handle(fakeJob(message, 0, 3))).rejects.toThrow(/ECONNREFUSED/);
    expect(await deliveries(message.outboxMessageId)).toEqual([]);
    await expect(handler.handle(fakeJob(message, 2, 3))).rejects.toThrow(/ECONNREFUSED/);
    expect(await deliveries(message.outboxMessageId)).toMatchObject([
      { status: 'failed', recipient: message.to, error: expect.stringMatching(/ECONNREFUSED/) },
    ]);
  });

  it('keeps the outbox row handed off while attempts remain, and ends it as failed with the delivery', async () => {
    const handler = app.app.get(EmailJobHandler);
    const message = await handedOffEmail(database);
    await expect(handler.handle(fakeJob(message, 0, 2))).rejects.toThrow(/ECONNREFUSED/);
    expect(await outboxRow(database, message.outboxMessageId)).toEqual({
      status: 'handed_off',
      done_at: false,
      last_error: null,
    });
    await expect(handler.handle(fakeJob(message, 1, 2))).rejects.toThrow(/ECONNREFUSED/);
    expect(await outboxRow(database, message.outboxMessageId)).toEqual({
      status: 'failed',
      done_at: false,
      last_error: expect.stringMatching(/ECONNREFUSED/),
    });
  });

  it('through BullMQ: retried with backoff, then failed with the error', async () => {
    const queue = app.app.get(QueueRegistry).get('email')!;
    const message = confirmation();
    await queue.add(
      message.template,
      { ...message },
      {
        jobId: message.outboxMessageId,
        attempts: 2,
        backoff: { type: 'fixed', delay: 50 },
      },
    );
    await until(async () => {
      const current = await queue.getJob(message.outboxMessageId);
      return current && (await current.isFailed()) ? true : undefined;
    }, 'the job to fail');
    // Read the job again: the copy fetched before isFailed() may predate its last attempt.
    const job = (await queue.getJob(message.outboxMessageId))!;
    expect(job.attemptsMade).toBe(2);
    expect(job.failedReason).toMatch(/ECONNREFUSED/);
    expect(await deliveries(message.outboxMessageId)).toMatchObject([
      { status: 'failed', error: expect.stringMatching(/ECONNREFUSED/) },
    ]);
  });
});
