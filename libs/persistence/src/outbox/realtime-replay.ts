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

/**
 * Where a reconnecting client was: the last event it received or, when it received none since it
 * connected, the `since` the server gave it then.
 */
export type ReplayAnchor = { lastEventId: string } | { since: string };

export type Replay =
  | { complete: true; events: ReplayedEvent[] }
  /** `unknown_event`: not one of the rooms' events (never was, or pruned since), or a bad `since`. */
  | { complete: false; reason: 'unknown_event' | 'too_many'; events: ReplayedEvent[] };

/** The most events one reconnect replays; a client that missed more reloads its state. */
export const REPLAY_LIMIT = 500;

/** Covers the rounding of stored timestamps to milliseconds; it only costs duplicates. */
const MARGIN = `interval '2 milliseconds'`;

/**
 * What a reconnecting client may have missed: every realtime row for its rooms still pending, or
 * delivered after its anchor was written. An event it missed was delivered after it received its
 * last one (written before that), or after it was told `since`, so nothing missed is left out;
 * what it already has comes again and is dropped by its `id`. `session.revoked` is not replayed:
 * its effect (a new handshake) has already happened.
 */
@Injectable()
export class RealtimeReplay {
  constructor(private readonly dataSource: DataSource) {}

  /** The database's clock now: the `since` of a client that has received nothing yet. */
  async now(): Promise<string> {
    const [row] = await this.dataSource.query<{ now: Date }[]>(`SELECT now() AS now`);
    return row.now.toISOString();
  }

  async after(anchor: ReplayAnchor, rooms: string[]): Promise<Replay> {
    const from = await this.anchorTime(anchor, rooms);
    if (!from) return { complete: false, reason: 'unknown_event', events: [] };
    const seen = 'lastEventId' in anchor ? anchor.lastEventId : null;
    const rows = await this.dataSource.query<{ id: string; topic: string; payload: object }[]>(
      `SELECT id, topic, payload FROM outbox_messages
        WHERE channel = 'realtime' AND audience && $1::text[] AND topic <> $3
          AND id IS DISTINCT FROM $5::uuid
          AND (status = 'pending' OR (status = 'dispatched' AND dispatched_at >= $2::timestamptz - ${MARGIN}))
        ORDER BY created_at, id LIMIT $4`,
      [rooms, from, SESSION_REVOKED, REPLAY_LIMIT + 1, seen],
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

  private async anchorTime(anchor: ReplayAnchor, rooms: string[]): Promise<Date | undefined> {
    if ('since' in anchor) {
      const since = new Date(anchor.since);
      return Number.isNaN(since.getTime()) ? undefined : since;
    }
    if (!isUuid(anchor.lastEventId)) return undefined;
    const [row] = await this.dataSource.query<{ created_at: Date }[]>(
      `SELECT created_at FROM outbox_messages
        WHERE id = $1 AND channel = 'realtime' AND audience && $2::text[]`,
      [anchor.lastEventId, rooms],
    );
    return row?.created_at;
  }
}
