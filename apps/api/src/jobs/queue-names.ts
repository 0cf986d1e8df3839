import { WORKFLOW_QUEUE } from '@mas/workflow';

/** The BullMQ queues this application owns. */
export const QueueName = {
  Cleanup: 'cleanup',
  Kpi: 'kpi',
  Email: 'email',
  Workflow: WORKFLOW_QUEUE,
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const QUEUE_NAMES: readonly QueueName[] = Object.values(QueueName);
