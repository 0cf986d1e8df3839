import type { ImportContext, ImportPhase, PhaseBatch, SqlClient } from '../import-phase.js';
import { countStaged } from '../staged-rows.js';
import { reportOutcomes, type ReportItem } from '../report-outcomes.js';

/** The length given to a legacy slot that ends when it starts. */
const ZERO_LENGTH_SLOT_FIX = '1 hour';
/** A slot that was asked for or booked: a student, tokens, or a status past tentative. */
const BOOKED_STATUSES = `('meeting_requested', 'under_review', 'confirmed', 'cancellation_requested', 'completed')`;

interface SlotIssue {
  id: string;
  legacy_mentor_id: string;
  legacy_student_id: string | null;
  mentor_id: string | null;
  student_id: string | null;
  token_cost: number;
  reversed: boolean;
  zero_length: boolean;
  carries: boolean | null;
  overlapped_id: string | null;
  overlapped_native: boolean | null;
  overlapped_carries: boolean | null;
}

/**
 * Legacy slots → `slots` (same id), mentor and student through user_map, times read as wall-clock
 * time in the legacy zone.
 *
 * Batches are mentors (after merging accounts), not rows: whether a slot overlaps another depends
 * on all of its mentor's slots, so each mentor is decided at once, the same way on every run.
 * Decisions (listed in the report):
 * - Overlapping non-cancelled slots of one mentor (the native exclusion constraint refuses them):
 *   within each cluster of overlapping slots, slots are taken in the order "already in this
 *   database", "carries a booking or tokens" (a student, a booked status, credited earnings or a
 *   ledger row), earliest "createdAt", id; a slot that overlaps one taken before it is stored as
 *   `cancelled`, keeping its student and price, never dropped.
 * - end before start → the two are swapped; end equal to start → ZERO_LENGTH_SLOT_FIX long.
 * - tokenCost 0 or negative → 1 token (the native price must be > 0; what was paid stays in the
 *   ledger, which carries the money).
 * - A student missing from the old database → no student; a mentor missing → the slot is skipped.
 * - The old schema never recorded who asked to cancel: cancellation_requested_by_id stays null.
 * - isAvailable is not kept: native availability follows status and student.
 */
export const slotsPhase: ImportPhase = {
  name: 'slots',

  total: (client) => countStaged(client, 'slots'),

  async runBatch(
    client: SqlClient,
    afterKey: string | null,
    context: ImportContext,
  ): Promise<PhaseBatch> {
    // A mentor missing from user_map is keyed by its legacy id, so its slots are still reported.
    const { rows: mentors } = await client.query<{ mentor_key: string }>(
      `SELECT DISTINCT coalesce(um.user_id, s."mentorId") AS mentor_key
       FROM legacy_import.slots s
       LEFT JOIN legacy_import.user_map um ON um.legacy_id = s."mentorId"
       WHERE $1::uuid IS NULL OR coalesce(um.user_id, s."mentorId") > $1::uuid
       ORDER BY mentor_key LIMIT $2`,
      [afterKey, context.batchSize],
    );
    if (!mentors.length) return { lastKey: afterKey, units: 0 };
    const mentorKeys = mentors.map((mentor) => mentor.mentor_key);
    const { rows } = await client.query<{ units: string; issues: SlotIssue[] }>(
      `WITH RECURSIVE
       staged AS (
         SELECT s.*, um.user_id AS mentor_id, student.user_id AS student_id,
                ("startTime" AT TIME ZONE $2)::timestamptz(3) AS legacy_start,
                ("endTime" AT TIME ZONE $2)::timestamptz(3) AS legacy_end
         FROM legacy_import.slots s
         LEFT JOIN legacy_import.user_map um ON um.legacy_id = s."mentorId"
         LEFT JOIN legacy_import.user_map student ON student.legacy_id = s."studentId"
         WHERE coalesce(um.user_id, s."mentorId") = ANY ($1::uuid[])
       ),
       timed AS (
         SELECT staged.*, least(legacy_start, legacy_end) AS starts_at,
                CASE WHEN legacy_start = legacy_end THEN legacy_start + $3::interval
                     ELSE greatest(legacy_start, legacy_end) END AS ends_at,
                ("studentId" IS NOT NULL OR coalesce("earningsCredited", false)
                  OR status IN ${BOOKED_STATUSES}) AS booked
         FROM staged
       ),
       occupying AS (
         SELECT id, mentor_id, starts_at, ends_at, false AS native, booked, "createdAt" AS created
         FROM timed WHERE mentor_id IS NOT NULL AND status <> 'cancelled'
         UNION ALL
         SELECT native.id, native.mentor_id, native.starts_at, native.ends_at, true, true, NULL
         FROM public.slots native
         WHERE native.mentor_id = ANY ($1::uuid[]) AND native.status <> 'cancelled'
           AND NOT EXISTS (SELECT 1 FROM legacy_import.slots x WHERE x.id = native.id)
       ),
       flagged AS (
         SELECT occupying.*,
                CASE WHEN starts_at < max(ends_at) OVER (
                       PARTITION BY mentor_id ORDER BY starts_at, id
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                     THEN 0 ELSE 1 END AS opens_cluster
         FROM occupying
       ),
       clustered AS (
         SELECT flagged.*,
                sum(opens_cluster) OVER (PARTITION BY mentor_id ORDER BY starts_at, id) AS cluster
         FROM flagged
       ),
       -- Only slots that overlap another need ranking; the ledger is searched for those alone.
       sized AS (
         SELECT clustered.*, count(*) OVER (PARTITION BY mentor_id, cluster) AS size FROM clustered
       ),
       ledgered AS (
         SELECT DISTINCT t."slotId" AS id FROM legacy_import.token_usage t
         WHERE t."slotId" IN (SELECT id FROM sized WHERE size > 1 AND NOT native)
       ),
       weighed AS (
         SELECT sized.*, tstzrange(starts_at, ends_at) AS span,
                (booked OR ledgered.id IS NOT NULL) AS carries
         FROM sized LEFT JOIN ledgered ON ledgered.id = sized.id
         WHERE size > 1
       ),
       contested AS (
         SELECT weighed.*, row_number() OVER (PARTITION BY mentor_id, cluster
                                              ORDER BY native DESC, carries DESC, created, id) AS rank
         FROM weighed
       ),
       -- Each cluster walks its spans in rank order, taking a span unless it overlaps one taken.
       -- The spans ride along as an array, so the recursion joins nothing (a join to a CTE in
       -- a recursive term is re-planned as a nested loop over the whole CTE on every step).
       clusters AS (
         SELECT mentor_id, cluster, array_agg(span ORDER BY rank) AS spans
         FROM contested GROUP BY mentor_id, cluster
       ),
       steps AS (
         SELECT mentor_id, cluster, spans, 1::bigint AS rank, true AS kept,
                tstzmultirange(spans[1]) AS taken
         FROM clusters
         UNION ALL
         SELECT mentor_id, cluster, spans, rank + 1, NOT (taken && spans[rank + 1]),
                CASE WHEN taken && spans[rank + 1] THEN taken
                     ELSE taken + tstzmultirange(spans[rank + 1]) END
         FROM steps WHERE rank < cardinality(spans)
       ),
       walk AS (
         SELECT c.mentor_id, c.cluster, c.rank, c.id, c.span, c.native, c.carries, s.kept
         FROM steps s
         JOIN contested c ON c.mentor_id = s.mentor_id AND c.cluster = s.cluster AND c.rank = s.rank
       ),
       losers AS (
         SELECT DISTINCT ON (loser.id) loser.id, loser.carries, winner.id AS overlapped_id,
                winner.native AS overlapped_native, winner.carries AS overlapped_carries
         FROM walk loser
         JOIN walk winner ON winner.mentor_id = loser.mentor_id AND winner.cluster = loser.cluster
         WHERE NOT loser.kept AND winner.kept AND winner.rank < loser.rank AND winner.span && loser.span
         ORDER BY loser.id, winner.rank
       ),
       inserted AS (
         INSERT INTO public.slots (id, created_at, updated_at, mentor_id, student_id, starts_at, ends_at,
                                   status, price_tokens, earnings_credited)
         SELECT t.id, t."createdAt" AT TIME ZONE $2, t."updatedAt" AT TIME ZONE $2, t.mentor_id,
                t.student_id, t.starts_at, t.ends_at,
                (CASE WHEN l.id IS NULL THEN t.status ELSE 'cancelled' END)::public.meeting_status,
                CASE WHEN t."tokenCost" > 0 THEN t."tokenCost" ELSE 1 END,
                coalesce(t."earningsCredited", false)
         FROM timed t LEFT JOIN losers l ON l.id = t.id
         WHERE t.mentor_id IS NOT NULL
         ON CONFLICT (id) DO NOTHING
       )
       SELECT (SELECT count(*) FROM timed) AS units,
              coalesce((
                SELECT json_agg(json_build_object(
                  'id', t.id, 'legacy_mentor_id', t."mentorId", 'legacy_student_id', t."studentId",
                  'mentor_id', t.mentor_id, 'student_id', t.student_id, 'token_cost', t."tokenCost",
                  'reversed', t.legacy_end < t.legacy_start, 'zero_length', t.legacy_end = t.legacy_start,
                  'carries', l.carries, 'overlapped_id', l.overlapped_id,
                  'overlapped_native', l.overlapped_native, 'overlapped_carries', l.overlapped_carries) ORDER BY t.id)
                FROM timed t LEFT JOIN losers l ON l.id = t.id
                WHERE t.mentor_id IS NULL OR l.id IS NOT NULL OR t.legacy_end <= t.legacy_start
                   OR t."tokenCost" <= 0 OR (t."studentId" IS NOT NULL AND t.student_id IS NULL)
              ), '[]') AS issues`,
      [mentorKeys, context.timezone, ZERO_LENGTH_SLOT_FIX],
    );
    await reportOutcomes(client, rows[0].issues.flatMap(outcomesOf));
    return { lastKey: mentorKeys.at(-1)!, units: Number(rows[0].units) };
  },
};

function outcomesOf(slot: SlotIssue): ReportItem[] {
  const item = (outcome: ReportItem['outcome'], reason: string): ReportItem => ({
    table: 'slots',
    legacyId: slot.id,
    outcome,
    reason,
  });
  if (slot.mentor_id === null) {
    return [item('skipped', `its mentor ${slot.legacy_mentor_id} does not exist; not imported`)];
  }
  const items: ReportItem[] = [];
  if (slot.overlapped_id !== null) {
    const winner = slot.overlapped_native
      ? 'which was already in this database'
      : slot.overlapped_carries
        ? 'which carries a booking or tokens'
        : 'which was created earlier';
    const kept = slot.carries ? ' (its student, price and ledger rows are kept)' : '';
    items.push(
      item(
        'changed',
        `overlaps slot ${slot.overlapped_id} of the same mentor, ${winner}; stored as cancelled${kept}`,
      ),
    );
  }
  if (slot.reversed) items.push(item('changed', 'ended before it started; start and end swapped'));
  if (slot.zero_length) {
    items.push(item('changed', `ended when it started; given a length of ${ZERO_LENGTH_SLOT_FIX}`));
  }
  if (slot.token_cost <= 0) {
    items.push(
      item('changed', `tokenCost ${slot.token_cost} is not a valid price (must be > 0); set to 1`),
    );
  }
  if (slot.legacy_student_id !== null && slot.student_id === null) {
    items.push(
      item('changed', `its student ${slot.legacy_student_id} does not exist; imported without one`),
    );
  }
  return items;
}
