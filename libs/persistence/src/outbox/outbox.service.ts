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

/**
 * Records side effects in the caller's transaction (`tx` is required: an outbox row written
 * outside the change's transaction would defeat its purpose). The relay dispatches after commit.
 */
@Injectable()
export class OutboxService {
  async publish(tx: EntityManager, event: RealtimeEvent): Promise<void> {
    await this.record(
      tx,
      OutboxChannel.Realtime,
      event.type,
      {
        type: event.type,
        occurredAt: new Date().toISOString(),
        data: event.data,
      },
      event.rooms,
    );
  }

  async email(tx: EntityManager, message: EmailMessage): Promise<void> {
    await this.record(tx, OutboxChannel.Email, message.template, {
      to: message.to,
      data: message.data,
    });
  }

  async job(tx: EntityManager, queue: string, data: Record<string, unknown> = {}): Promise<void> {
    await this.record(tx, OutboxChannel.Job, queue, data);
  }

  private async record(
    tx: EntityManager,
    channel: OutboxChannel,
    topic: string,
    payload: Record<string, unknown>,
    audience: string[] = [],
  ) {
    await tx.query(
      'INSERT INTO outbox_messages (channel, topic, payload, audience) VALUES ($1, $2, $3, $4)',
      [channel, topic, payload, audience],
    );
  }
}
