import { Inject, Injectable } from '@nestjs/common';
import { EMAIL_QUEUE, type EmailJobData } from '@mas/email';
import { JobHandler } from '@mas/jobs';
import { OutboxCompletion, TransactionRunner } from '@mas/persistence';
import { EntityManager } from 'typeorm';
import { Job, UnrecoverableError } from 'bullmq';
import { type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { MAIL_TRANSPORT, type MailTransport } from './mail-transport.js';
import { EmailDataError } from './templates/email-data-error.js';
import { type EmailContent } from './templates/email-layout.js';
import { renderEmail } from './templates/render-email.js';

export type EmailOutcome = 'sent' | 'already-handled';

/**
 * Sends each outbox email at most once, however often its job runs.
 *
 * Order: record, then send, in one transaction. The `email_deliveries` row (keyed by the outbox
 * message id) is inserted first with ON CONFLICT DO NOTHING; only the run that inserted it sends,
 * and the insert commits only after the SMTP server accepted the message. So:
 * - a retried or duplicated job finds the row and sends nothing (a concurrent duplicate waits on
 *   the uncommitted row, then finds it);
 * - a failed send rolls the row back, leaving the message free for BullMQ's next attempt;
 * - the one remaining duplicate window is a crash between the server's acceptance and COMMIT.
 * Send-then-record would resend on every failure after the send, and committing the record
 * before sending would lose the email on a crash, both far wider windows.
 * After the last attempt (or at once for data that can never render) the row is written as
 * `failed` with the error.
 * The outbox row ends in the same transaction as the delivery row (done when sent, failed when
 * failed), so it is never done without the email and never stays open after it; a duplicate run
 * ends it from the delivery row it finds.
 */
@JobHandler({
  queue: EMAIL_QUEUE,
  concurrency: 5,
  jobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 10_000 } },
})
@Injectable()
export class EmailJobHandler implements JobHandler {
  readonly completesOutboxRow = true;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly completion: OutboxCompletion,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(job: Job<EmailJobData>): Promise<EmailOutcome> {
    const message = job.data;
    try {
      return (await this.sendOnce(message, this.render(message))) ? 'sent' : 'already-handled';
    } catch (error) {
      const unrecoverable = error instanceof EmailDataError;
      if (unrecoverable || isLastAttempt(job)) await this.recordFailure(message, error as Error);
      // UnrecoverableError: BullMQ fails the job without spending the remaining attempts.
      throw unrecoverable ? new UnrecoverableError(error.message) : error;
    }
  }

  private render(message: EmailJobData): EmailContent {
    if (!message.to || message.to.length > 320) {
      throw new EmailDataError(`email ${message.outboxMessageId} has no valid recipient`);
    }
    return renderEmail(message.template, message.data ?? {});
  }

  /** True when this run sent the message; false when an earlier run already handled it. */
  private sendOnce(message: EmailJobData, content: EmailContent): Promise<boolean> {
    return this.transactions.run(
      async (tx) => {
        const claimed = await tx.query<unknown[]>(
          `INSERT INTO email_deliveries (outbox_message_id, template, recipient, status)
           VALUES ($1, $2, $3, 'sent') ON CONFLICT (outbox_message_id) DO NOTHING
           RETURNING outbox_message_id`,
          [message.outboxMessageId, message.template, message.to],
        );
        if (!claimed.length) {
          await this.endFromDelivery(tx, message.outboxMessageId);
          return false;
        }
        await this.transport.send({ from: this.config.mailFrom, to: message.to, ...content });
        await this.completion.done(message.outboxMessageId, tx);
        return true;
      },
      // Retrying the transaction would send a second time.
      { maxAttempts: 1 },
    );
  }

  /** An earlier run handled the message: the outbox row ends as its delivery row says. */
  private async endFromDelivery(tx: EntityManager, outboxMessageId: string): Promise<void> {
    const [delivery] = await tx.query<{ status: string; error: string | null }[]>(
      `SELECT status, error FROM email_deliveries WHERE outbox_message_id = $1`,
      [outboxMessageId],
    );
    if (delivery?.status === 'sent') await this.completion.done(outboxMessageId, tx);
    else if (delivery) await this.completion.failed(outboxMessageId, delivery.error ?? '', tx);
  }

  private async recordFailure(message: EmailJobData, error: Error): Promise<void> {
    await this.transactions.run(async (tx) => {
      await tx.query(
        `INSERT INTO email_deliveries (outbox_message_id, template, recipient, status, error)
         VALUES ($1, $2, $3, 'failed', $4) ON CONFLICT (outbox_message_id) DO NOTHING`,
        [
          message.outboxMessageId,
          message.template.slice(0, 100),
          (message.to ?? '').slice(0, 320),
          error.message.slice(0, 2000),
        ],
      );
      await this.endFromDelivery(tx, message.outboxMessageId);
    });
  }
}

function isLastAttempt(job: Job): boolean {
  // attemptsMade counts the attempts that already failed, not the running one.
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
