/** One email job: an outbox email message, identified by the outbox message id. */
export interface EmailJobData {
  outboxMessageId: string;
  template: string;
  to: string;
  data: Record<string, unknown>;
}
