/** The BullMQ queues this application owns. */
export const QueueName = {
  Cleanup: 'cleanup',
  Kpi: 'kpi',
  Email: 'email',
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const QUEUE_NAMES: readonly QueueName[] = Object.values(QueueName);
