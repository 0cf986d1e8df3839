/** The BullMQ queue outbox emails go through (the outbox relay adds, the email worker handles). */
export const EMAIL_QUEUE = 'email';

/** One email job: an outbox email message, identified by the outbox message id. */
export interface EmailJobData {
  outboxMessageId: string;
  /** The outbox row's topic: a catalogued template name, unless the row is bad. */
  template: string;
  to: string;
  data: Record<string, unknown>;
}
