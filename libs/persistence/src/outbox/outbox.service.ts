import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SqlParams } from '../query/sql-params.js';
import { OutboxChannel } from './outbox-message.entity.js';
import { NOTIFY_RELAYS_SQL } from './outbox-notify.js';

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

/** A fact another part of the system may react to; `subject` names the row it is about. */
export interface DomainEvent {
  type: string;
  subject: { type: string; id: string };
  data: Record<string, unknown>;
}

export interface OutboxEntry {
  channel: OutboxChannel;
  topic: string;
  payload: Record<string, unknown>;
  audience?: string[];
  runAt?: Date;
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
  job(queue: string, data: Record<string, unknown> = {}, runAt?: Date): OutboxEntry {
    return { channel: OutboxChannel.Job, topic: queue, payload: data, runAt };
  },
  event(event: DomainEvent): OutboxEntry {
    return {
      channel: OutboxChannel.Event,
      topic: event.type,
      payload: { subject: event.subject, data: event.data },
    };
  },
};

/**
 * The INSERT writing `entries` (at least one), for callers composing it into a larger statement;
 * with `when`, an SQL condition, a row is written only if it holds: it may name `entry.tag`, the
 * entry's number in `tags` (e.g. which of several changes in one statement it belongs to). The
 * entries travel as arrays, so the statement's text does not depend on how many there are.
 *
 * Each written row queues a notification to the relays (one per transaction: Postgres folds
 * identical ones), sent at commit and never on rollback, so whatever writes outbox rows wakes the
 * relays without a round trip.
 */
export function outboxInsert(
  entries: OutboxEntry[],
  params: SqlParams,
  when?: string,
  tags?: number[],
): string {
  const column = (cast: string, value: (entry: OutboxEntry) => unknown) =>
    params.bind(entries.map(value), `${cast}[]`);
  const source = [
    column('outbox_channel', (entry) => entry.channel),
    column('text', (entry) => entry.topic),
    column('jsonb', (entry) => JSON.stringify(entry.payload)),
    column('jsonb', (entry) => JSON.stringify(entry.audience ?? [])),
    column('timestamptz', (entry) => entry.runAt ?? null),
    params.bind(tags ?? entries.map(() => 0), 'integer[]'),
  ];
  return `INSERT INTO outbox_messages (channel, topic, payload, audience, run_at)
    SELECT channel, topic, payload, ARRAY(SELECT jsonb_array_elements_text(audience)), run_at
      FROM unnest(${source.join(', ')}) entry (channel, topic, payload, audience, run_at, tag)
     ${when ? `WHERE ${when}` : ''}
    RETURNING ${NOTIFY_RELAYS_SQL}`;
}

/**
 * Records side effects in the caller's transaction (`tx` is required: an outbox row written
 * outside the change's transaction would defeat its purpose). The relay dispatches after commit,
 * woken by the notification the same statement queues.
 */
@Injectable()
export class OutboxService {
  publish(tx: EntityManager, event: RealtimeEvent): Promise<void> {
    return this.record(tx, [OutboxEntries.realtime(event)]);
  }

  email(tx: EntityManager, message: EmailMessage): Promise<void> {
    return this.record(tx, [OutboxEntries.email(message)]);
  }

  job(
    tx: EntityManager,
    queue: string,
    data: Record<string, unknown> = {},
    runAt?: Date,
  ): Promise<void> {
    return this.record(tx, [OutboxEntries.job(queue, data, runAt)]);
  }

  event(tx: EntityManager, event: DomainEvent): Promise<void> {
    return this.record(tx, [OutboxEntries.event(event)]);
  }

  /**
   * Several entries in one statement. `along` runs a data-modifying statement (its parameters
   * numbered from $1) in the same round trip, as a CTE: hot paths such as booking save a round trip.
   */
  async record(
    tx: EntityManager,
    entries: OutboxEntry[],
    along?: { sql: string; params: unknown[] },
  ): Promise<void> {
    if (!entries.length) {
      if (along) await tx.query(along.sql, along.params);
      return;
    }
    const params = new SqlParams();
    params.values.push(...(along?.params ?? []));
    const insert = outboxInsert(entries, params);
    await tx.query(along ? `WITH along AS (${along.sql}) ${insert}` : insert, params.values);
  }
}
