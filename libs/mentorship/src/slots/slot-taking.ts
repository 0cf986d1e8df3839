import { NotFoundError } from '@mas/domain-errors';
import { notEnoughTokens, TokenUsageType, walletChangesCtes } from '@mas/finance';
import { type OutboxEntry, outboxInsert, SqlParams } from '@mas/persistence';
import { type EntityManager } from 'typeorm';
import { type Slot } from '../entities/slot.entity.js';
import { nextStatus, SLOT_TRANSITIONS } from './slot-lifecycle.js';

export type TakeAction = 'book' | 'request';

export interface Taking {
  /** The slot as read before, unlocked: what the checks and the notifications were based on. */
  read: Slot;
  /** `read` as it will be once taken (status, student, updated_at). */
  taken: Slot;
  notifications: OutboxEntry[];
}

/** What happened to one taking: the taken slot, 'changed' (read it again) or the refusal. */
export type TakeOutcome = Slot | 'changed' | Error;

interface OutcomeRow {
  /** As locked, before the update; null when there is no such slot. */
  status: Slot['status'] | null;
  unchanged: boolean | null;
  earnings_credited: boolean | null;
  cancellation_requested_by_id: string | null;
  taken: boolean;
  /** The wallet's balance as locked, before any debit (for the 422); null without a wallet. */
  balance: number | null;
}

/**
 * Students take slots (book or request) in ONE statement, the hottest write in the system: lock
 * the slots, re-check under the lock that each is still takeable and that what the caller read
 * (mentor, times, price) is unchanged, debit the wallets with their ledger rows, update the slots
 * and record their notifications. One statement is atomic on its own, so no BEGIN/COMMIT round
 * trips. Locks are taken in one global order, every slot (by id) before every wallet (by user id),
 * as every other slot transition does, so concurrent statements never deadlock.
 *
 * The takings must name distinct slots and distinct students (a wallet changes once per
 * statement). Each gets its own outcome, in order: the taken slot, 'changed' when the slot differs
 * from `read` (the caller reads again), or its refusal: 404 (slot or wallet gone), 409 (no longer
 * takeable) or 422 (balance too low). A taking refused changes nothing, and does not stop the others.
 */
export async function takeSlots(
  manager: EntityManager,
  action: TakeAction,
  takings: Taking[],
): Promise<TakeOutcome[]> {
  const params = new SqlParams();
  const column = (cast: string, value: (taking: Taking) => unknown) =>
    params.bind(takings.map(value), `${cast}[]`);
  const source = [
    column('uuid', ({ read }) => read.id),
    column('uuid', ({ taken }) => taken.studentId),
    column('uuid', ({ read }) => read.mentorId),
    column('timestamptz', ({ read }) => read.startsAt),
    column('timestamptz', ({ read }) => read.endsAt),
    column('integer', ({ read }) => read.priceTokens),
    column('timestamptz', ({ taken }) => taken.updatedAt),
  ];
  const transition = SLOT_TRANSITIONS[action];
  const notifications = takings.flatMap(({ notifications }) => notifications);
  const tags = takings.flatMap(({ notifications }, index) => notifications.map(() => index + 1));
  const sql = `
    WITH taking AS (
      SELECT * FROM unnest(${source.join(', ')})
        WITH ORDINALITY AS t (slot_id, student_id, mentor_id, starts_at, ends_at, price_tokens, updated_at, n)
    ),
    locked AS (
      SELECT t.n, s.status, s.earnings_credited, s.cancellation_requested_by_id,
             (s.mentor_id, s.starts_at, s.ends_at, s.price_tokens)
               = (t.mentor_id, t.starts_at, t.ends_at, t.price_tokens) AS unchanged
        FROM taking t JOIN slots s ON s.id = t.slot_id
       ORDER BY s.id FOR UPDATE OF s
    ),
    debit AS (
      SELECT t.student_id AS user_id, -t.price_tokens AS delta, t.slot_id
        FROM taking t JOIN locked l USING (n)
       WHERE l.unchanged AND l.status = ANY(${params.bind(transition.from, 'meeting_status[]')})
    ),
    ${walletChangesCtes(params, { deltas: 'debit', type: TokenUsageType.MeetingBooking })},
    slot_taken AS (
      UPDATE slots s SET status = ${params.bind(transition.to, 'meeting_status')}, student_id = t.student_id,
             updated_at = t.updated_at
        FROM taking t JOIN ledger_entry USING (slot_id)
       WHERE s.id = t.slot_id
      RETURNING t.n
    )
    ${
      notifications.length
        ? `, notified AS (${outboxInsert(notifications, params, 'entry.tag IN (SELECT n FROM slot_taken)', tags)})`
        : ''
    }
    SELECT l.status, l.unchanged, l.earnings_credited, l.cancellation_requested_by_id,
           t.n IN (SELECT n FROM slot_taken) AS taken,
           (SELECT balance FROM wallet_lock WHERE user_id = t.student_id) AS balance
      FROM taking t LEFT JOIN locked l USING (n)
     ORDER BY t.n`;
  const rows = await manager.query<OutcomeRow[]>(sql, params.values);
  return rows.map((row, index) => outcome(action, takings[index], row));
}

function outcome(action: TakeAction, { read, taken }: Taking, row: OutcomeRow): TakeOutcome {
  try {
    if (!row.status) throw new NotFoundError('slot not found');
    if (!row.unchanged) return 'changed';
    nextStatus(action, row.status);
    if (!row.taken) {
      if (row.balance === null) throw new NotFoundError('wallet not found');
      throw notEnoughTokens(row.balance, read.priceTokens);
    }
    return Object.assign(taken, {
      earningsCredited: row.earnings_credited,
      cancellationRequestedById: row.cancellation_requested_by_id,
    });
  } catch (error) {
    return error as Error;
  }
}
