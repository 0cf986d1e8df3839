import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { EMAIL_QUEUE, type EmailJobData } from '@mas/email';
import { QueueRegistry } from '@mas/jobs';
import { OutboxChannel, OutboxMessage, OutboxRelay } from '@mas/persistence';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { REDIS } from '../redis/redis.module.js';
import { enqueue } from './enqueue.js';

/**
 * Turns committed outbox rows into BullMQ jobs. The job id is the outbox message id, so a relay
 * retry (after a timeout whose add landed anyway, or a re-queue by the reconciler) never enqueues
 * the same message twice while the job exists. A failed add throws: the relay keeps the row pending
 * and retries it with backoff. A successful add only hands the row off; the consumer ends it.
 */
@Injectable()
export class OutboxQueueDispatchers implements OnModuleInit {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly queues: QueueRegistry,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  onModuleInit(): void {
    // The consumers complete the rows: a job in Redis is not yet an effect (Redis may lose it).
    const consumerCompletes = { consumerCompletes: true };
    this.relay.register(OutboxChannel.Email, (m) => this.dispatchEmail(m), consumerCompletes);
    this.relay.register(OutboxChannel.Job, (m) => this.dispatchJob(m), consumerCompletes);
  }

  async dispatchEmail(message: OutboxMessage): Promise<void> {
    const { to, data } = message.payload as { to?: unknown; data?: unknown };
    const job: EmailJobData = {
      outboxMessageId: message.id,
      template: message.topic,
      to: typeof to === 'string' ? to : '',
      data: isRecord(data) ? data : {},
    };
    await enqueue(this.queue(EMAIL_QUEUE), message.topic, { ...job }, { jobId: message.id });
  }

  async dispatchJob(message: OutboxMessage): Promise<void> {
    const delay = message.runAt ? Math.max(0, message.runAt.getTime() - Date.now()) : undefined;
    await enqueue(this.queue(message.topic), message.topic, message.payload, {
      jobId: message.id,
      delay,
    });
  }

  private queue(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`no queue named "${name}" is registered`);
    // Fails the whole batch at once during an outage instead of one enqueue timeout per row.
    if (this.redis.status !== 'ready') throw new Error('redis is not connected');
    return queue;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
