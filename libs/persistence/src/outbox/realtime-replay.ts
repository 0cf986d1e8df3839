import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '../validation/uuid.js';
import { SESSION_REVOKED } from './session-revoked.js';

/** An event as the gateway sends it: the outbox id and the row's payload. */
export interface ReplayedEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
}

export type Replay =
  | { complete: true; events: ReplayedEvent[] }
  /** `unknown_event`: the id is not one of the rooms' events (never was, or pruned since). */
  | { complete: false; reason: 'unknown_event' | 'too_many'; events: ReplayedEvent[] };

/** The most events one reconnect replays; a client that missed more reloads its state. */
export const REPLAY_LIMIT = 500;

/**
 * What a reconnecting client may have missed since the last event it saw: every realtime row for
 * its rooms still pending, or delivered since that event was written. An event delivered after
 * the client's last one was written after it too, so nothing missed is left out; what the client
 * already has comes again and is dropped by its `id`. `session.revoked` is not replayed: its
 * effect (a new handshake) has already happened.
 */
@Injectable()
export class RealtimeReplay {
  constructor(private readonly dataSource: DataSource) {}

  async since(lastEventId: string, rooms: string[]): Promise<Replay> {
    const anchor = isUuid(lastEventId)
      ? await this.dataSource.query<{ created_at: Date }[]>(
          `SELECT created_at FROM outbox_messages
            WHERE id = $1 AND channel = 'realtime' AND audience && $2::text[]`,
          [lastEventId, rooms],
        )
      : [];
    if (!anchor.length) return { complete: false, reason: 'unknown_event', events: [] };
    const rows = await this.dataSource.query<{ id: string; topic: string; payload: object }[]>(
      `SELECT id, topic, payload FROM outbox_messages
        WHERE channel = 'realtime' AND audience && $2::text[] AND id <> $1 AND topic <> $4
          AND (status = 'pending' OR (status = 'dispatched' AND dispatched_at >= $3))
        ORDER BY created_at, id LIMIT $5`,
      [lastEventId, rooms, anchor[0].created_at, SESSION_REVOKED, REPLAY_LIMIT + 1],
    );
    const events = rows.slice(0, REPLAY_LIMIT).map((row) => ({
      id: row.id,
      type: row.topic,
      payload: row.payload as Record<string, unknown>,
    }));
    return rows.length > REPLAY_LIMIT
      ? { complete: false, reason: 'too_many', events }
      : { complete: true, events };
  }
}
