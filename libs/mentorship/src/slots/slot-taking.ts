import { NotFoundError } from '@mas/domain-errors';
import { notEnoughTokens, TokenUsageType, walletChangeCtes } from '@mas/finance';
import { type OutboxEntry, outboxInsert, SqlParams } from '@mas/persistence';
import { type EntityManager } from 'typeorm';
import { type Slot } from '../entities/slot.entity.js';
import { nextStatus, SLOT_TRANSITIONS } from './slot-lifecycle.js';

export type TakeAction = 'book' | 'request';

export interface Taking {
  action: TakeAction;
  /** The slot as read before, unlocked: what the checks and the notifications were based on. */
  read: Slot;
  /** `read` as it will be once taken (status, student, updated_at). */
  taken: Slot;
  notifications: OutboxEntry[];
}

interface Outcome {
  /** As locked, before the update; null when there is no such slot. */
  status: Slot['status'] | null;
  unchanged: boolean | null;
  earnings_credited: boolean | null;
  cancellation_requested_by_id: string | null;
  taken: boolean;
  /** The wallet's balance as of the statement's start (for the 422), null without a wallet. */
  balance: number | null;
}

/**
 * A student takes a slot (book or request) in ONE statement, the hottest write in the system:
 * lock the slot, re-check under the lock that it is still takeable and that what the caller read
 * (mentor, times, price) is unchanged, debit the wallet with its ledger row, update the slot and
 * record its notifications. One statement is atomic on its own, so no BEGIN/COMMIT round trips;
 * the lock order (slot, then wallet) is the same as every other slot transition's.
 *
 * Returns the taken slot, or 'changed' when the slot differs from `read` (the caller reads again).
 * Throws 404 (slot or wallet gone), 409 (no longer takeable) or 422 (balance too low).
 */
export async function takeSlot(manager: EntityManager, taking: Taking): Promise<Slot | 'changed'> {
  const { read, taken } = taking;
  const params = new SqlParams();
  const id = params.bind(read.id, 'uuid');
  const studentId = params.bind(taken.studentId, 'uuid');
  const sql = `
    WITH locked AS (
      SELECT status, earnings_credited, cancellation_requested_by_id,
             (mentor_id, starts_at, ends_at, price_tokens) = (${params.bind(read.mentorId, 'uuid')},
               ${params.bind(read.startsAt, 'timestamptz')}, ${params.bind(read.endsAt, 'timestamptz')},
               ${params.bind(read.priceTokens, 'integer')}) AS unchanged
        FROM slots WHERE id = ${id} FOR UPDATE
    ),
    takeable AS (
      SELECT FROM locked
       WHERE unchanged AND status = ANY(${params.bind(SLOT_TRANSITIONS[taking.action].from, 'meeting_status[]')})
    ),
    ${walletChangeCtes(params, {
      userId: taken.studentId as string,
      delta: -read.priceTokens,
      type: TokenUsageType.MeetingBooking,
      slotId: read.id,
      when: 'EXISTS (SELECT FROM takeable)',
    })},
    slot_taken AS (
      UPDATE slots SET status = ${params.bind(taken.status, 'meeting_status')}, student_id = ${studentId},
             updated_at = ${params.bind(taken.updatedAt, 'timestamptz')}
       WHERE id = ${id} AND EXISTS (SELECT FROM ledger_entry)
      RETURNING id
    ),
    notified AS (${outboxInsert(taking.notifications, params, 'EXISTS (SELECT FROM slot_taken)')})
    SELECT locked.status, locked.unchanged, locked.earnings_credited, locked.cancellation_requested_by_id,
           EXISTS (SELECT FROM slot_taken) AS taken,
           (SELECT balance FROM token_wallets WHERE user_id = ${studentId}) AS balance
      FROM (SELECT 1) AS one LEFT JOIN locked ON true`;
  const [outcome] = await manager.query<Outcome[]>(sql, params.values);
  if (!outcome.status) throw new NotFoundError('slot not found');
  if (!outcome.unchanged) return 'changed';
  nextStatus(taking.action, outcome.status);
  if (!outcome.taken) {
    if (outcome.balance === null) throw new NotFoundError('wallet not found');
    throw notEnoughTokens(outcome.balance, read.priceTokens);
  }
  return Object.assign(taken, {
    earningsCredited: outcome.earnings_credited,
    cancellationRequestedById: outcome.cancellation_requested_by_id,
  });
}
