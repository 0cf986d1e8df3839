import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxChannel } from './outbox-message.entity.js';

export interface RealtimeEvent {
  type: string;
  data: Record<string, unknown>;
  /** Rooms to reach: `user:<id>`, `role:<role>`. */
  rooms: string[];
}

export interface EmailMessage {
  template: string;
  to: string;
  data: Record<string, unknown>;
}

export interface OutboxEntry {
  channel: OutboxChannel;
  topic: string;
  payload: Record<string, unknown>;
  audience?: string[];
}

export const OutboxEntries = {
  realtime(event: RealtimeEvent): OutboxEntry {
    return {
      channel: OutboxChannel.Realtime,
      topic: event.type,
      payload: { type: event.type, occurredAt: new Date().toISOString(), data: event.data },
      audience: event.rooms,
    };
  },
  email(message: EmailMessage): OutboxEntry {
    return {
      channel: OutboxChannel.Email,
      topic: message.template,
      payload: { to: message.to, data: message.data },
    };
  },
  job(queue: string, data: Record<string, unknown> = {}): OutboxEntry {
    return { channel: OutboxChannel.Job, topic: queue, payload: data };
  },
};

/**
 * Records side effects in the caller's transaction (`tx` is required: an outbox row written
 * outside the change's transaction would defeat its purpose). The relay dispatches after commit.
 */
@Injectable()
export class OutboxService {
  publish(tx: EntityManager, event: RealtimeEvent): Promise<void> {
    return this.record(tx, [OutboxEntries.realtime(event)]);
  }

  email(tx: EntityManager, message: EmailMessage): Promise<void> {
    return this.record(tx, [OutboxEntries.email(message)]);
  }

  job(tx: EntityManager, queue: string, data: Record<string, unknown> = {}): Promise<void> {
    return this.record(tx, [OutboxEntries.job(queue, data)]);
  }

  /** Several entries in one statement (one round trip on hot paths such as booking). */
  async record(tx: EntityManager, entries: OutboxEntry[]): Promise<void> {
    if (!entries.length) return;
    const rows = entries.map(
      (_, i) =>
        `($${i * 4 + 1}::outbox_channel, $${i * 4 + 2}, $${i * 4 + 3}::jsonb, $${i * 4 + 4}::text[])`,
    );
    const values = entries.flatMap((entry) => [
      entry.channel,
      entry.topic,
      entry.payload,
      entry.audience ?? [],
    ]);
    await tx.query(
      `INSERT INTO outbox_messages (channel, topic, payload, audience) VALUES ${rows.join(', ')}`,
      values,
    );
  }
}
