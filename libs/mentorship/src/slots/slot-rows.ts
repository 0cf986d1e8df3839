import { rowsById } from '@mas/persistence';
import { type EntityManager } from 'typeorm';
import { type MeetingStatus } from '../entities/meeting-status.enum.js';
import { Slot } from '../entities/slot.entity.js';

/**
 * The slot transitions' slot statements in plain SQL: it is the hottest write in the system and
 * the query builder's per-call cost showed up in the booking benchmark's profile.
 */
interface SlotRow {
  id: string;
  mentor_id: string;
  student_id: string | null;
  starts_at: Date;
  ends_at: Date;
  status: MeetingStatus;
  price_tokens: number;
  earnings_credited: boolean;
  cancellation_requested_by_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, mentor_id, student_id, starts_at, ends_at, status, price_tokens, earnings_credited,
  cancellation_requested_by_id, created_at, updated_at`;

export async function lockSlot(tx: EntityManager, id: string): Promise<Slot | null> {
  const [row] = await tx.query<SlotRow[]>(`SELECT ${COLUMNS} FROM slots WHERE id = $1 FOR UPDATE`, [
    id,
  ]);
  return row ? toSlot(tx, row) : null;
}

/**
 * The slots as committed now, without a lock (for a statement that locks and re-checks them), in
 * the order of `ids`: null for a slot that does not exist, or an id that is not a UUID.
 */
export async function readSlots(manager: EntityManager, ids: string[]): Promise<(Slot | null)[]> {
  const rows = await rowsById(ids, (uuids) =>
    manager.query<SlotRow[]>(`SELECT ${COLUMNS} FROM slots WHERE id = ANY($1::uuid[])`, [uuids]),
  );
  return rows.map((row) => (row ? toSlot(manager, row) : null));
}

/** The statement writing every field a transition may change (run along the outbox insert). */
export function slotStateUpdate(slot: Slot): { sql: string; params: unknown[] } {
  return {
    sql: `UPDATE slots SET status = $2, student_id = $3, earnings_credited = $4, cancellation_requested_by_id = $5,
            updated_at = $6 WHERE id = $1`,
    params: [
      slot.id,
      slot.status,
      slot.studentId,
      slot.earningsCredited,
      slot.cancellationRequestedById,
      slot.updatedAt,
    ],
  };
}

function toSlot(tx: EntityManager, row: SlotRow): Slot {
  return tx.create(Slot, {
    id: row.id,
    mentorId: row.mentor_id,
    studentId: row.student_id,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    status: row.status,
    priceTokens: row.price_tokens,
    earningsCredited: row.earnings_credited,
    cancellationRequestedById: row.cancellation_requested_by_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}
