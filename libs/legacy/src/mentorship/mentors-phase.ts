import type { ImportContext, ImportPhase, PhaseBatch, SqlClient } from '../import-phase.js';
import { countStaged, TRIMMED_WHITESPACE } from '../staged-rows.js';
import { reportOutcomes, type ReportItem } from '../report-outcomes.js';

/** What the API's validation accepts for a headline (non-empty, at most 200 characters). */
export const PLACEHOLDER_HEADLINE = 'Mentor';
const HEADLINE_MAX = 200;

interface ResolvedMentor {
  id: string;
  legacy_user_id: string;
  user_id: string | null;
  keeper_id: string | null;
  existing_profile_id: string | null;
  headline_empty: boolean;
  headline_cut: boolean;
  expertise_empties: boolean;
}

/**
 * Legacy mentors → `mentor_profiles` (same id), the user through user_map.
 *
 * Decisions (listed in the report):
 * - One profile per user: when merged accounts both had one, the survivor's own profile is kept
 *   (else the earliest, then lowest id), chosen over every staged profile of that user so the
 *   choice does not depend on batches; the others are reported merged. A user of this database
 *   that already has a profile keeps it.
 * - headline trimmed; empty → PLACEHOLDER_HEADLINE; longer than 200 → cut.
 * - expertise (simple-array 'sql,ml, data science') → text[], entries trimmed, empty ones dropped.
 * - A profile whose user does not exist in the old database is skipped.
 */
export const mentorsPhase: ImportPhase = {
  name: 'mentors',

  total: (client) => countStaged(client, 'mentors'),

  async runBatch(
    client: SqlClient,
    afterKey: string | null,
    context: ImportContext,
  ): Promise<PhaseBatch> {
    const { rows } = await client.query<ResolvedMentor>(
      `WITH batch AS (
         SELECT m.*, um.user_id, btrim(m.headline, $4) AS trimmed_headline,
                string_to_array(m.expertise, ',') AS raw_expertise
         FROM legacy_import.mentors m
         LEFT JOIN legacy_import.user_map um ON um.legacy_id = m."userId"
         WHERE $1::uuid IS NULL OR m.id > $1::uuid
         ORDER BY m.id LIMIT $2
       ),
       rivals AS (
         SELECT other.id, first_value(other.id) OVER (
                  PARTITION BY um.user_id
                  ORDER BY (other."userId" = um.user_id) DESC, other."createdAt", other.id) AS keeper_id
         FROM legacy_import.mentors other
         JOIN legacy_import.user_map um ON um.legacy_id = other."userId"
         WHERE um.user_id IN (SELECT user_id FROM batch)
       ),
       resolved AS (
         SELECT b.*, r.keeper_id,
                (SELECT p.id FROM public.mentor_profiles p WHERE p.user_id = b.user_id) AS existing_profile_id,
                ARRAY(SELECT btrim(entry, $4) FROM unnest(b.raw_expertise) WITH ORDINALITY AS e(entry, n)
                      WHERE btrim(entry, $4) <> '' ORDER BY n) AS expertise_list
         FROM batch b LEFT JOIN rivals r ON r.id = b.id
       ),
       inserted AS (
         INSERT INTO public.mentor_profiles (id, user_id, headline, expertise, bio, created_at, updated_at)
         SELECT id, user_id,
                CASE WHEN coalesce(trimmed_headline, '') = '' THEN $5
                     ELSE rtrim(left(trimmed_headline, $6), $4) END,
                expertise_list, bio, "createdAt" AT TIME ZONE $3, "updatedAt" AT TIME ZONE $3
         FROM resolved
         WHERE user_id IS NOT NULL AND id = keeper_id AND existing_profile_id IS NULL
         ON CONFLICT (id) DO NOTHING
       )
       SELECT id, "userId" AS legacy_user_id, user_id, keeper_id, existing_profile_id,
              coalesce(trimmed_headline, '') = '' AS headline_empty,
              coalesce(length(trimmed_headline) > $6, false) AS headline_cut,
              coalesce(cardinality(raw_expertise) > cardinality(expertise_list), false) AS expertise_empties
       FROM resolved ORDER BY id`,
      [
        afterKey,
        context.batchSize,
        context.timezone,
        TRIMMED_WHITESPACE,
        PLACEHOLDER_HEADLINE,
        HEADLINE_MAX,
      ],
    );
    await reportOutcomes(client, rows.flatMap(outcomesOf));
    return { lastKey: rows.at(-1)?.id ?? afterKey, units: rows.length };
  },
};

function outcomesOf(mentor: ResolvedMentor): ReportItem[] {
  const item = (outcome: ReportItem['outcome'], reason: string): ReportItem => ({
    table: 'mentors',
    legacyId: mentor.id,
    outcome,
    reason,
  });
  if (mentor.user_id === null) {
    return [item('skipped', `its user ${mentor.legacy_user_id} does not exist; not imported`)];
  }
  if (mentor.keeper_id !== mentor.id) {
    return [
      item(
        'merged',
        `user ${mentor.user_id} (after merging accounts) already has mentor profile ` +
          `${mentor.keeper_id}; kept that one`,
      ),
    ];
  }
  if (mentor.existing_profile_id !== null && mentor.existing_profile_id !== mentor.id) {
    return [
      item(
        'merged',
        `user ${mentor.user_id} already had mentor profile ${mentor.existing_profile_id} ` +
          `in this database; kept that one`,
      ),
    ];
  }
  const items: ReportItem[] = [];
  if (mentor.headline_empty) {
    items.push(item('changed', `headline was empty; set to "${PLACEHOLDER_HEADLINE}"`));
  }
  if (mentor.headline_cut) {
    items.push(item('changed', `headline longer than ${HEADLINE_MAX} characters; cut`));
  }
  if (mentor.expertise_empties) items.push(item('changed', 'empty expertise entries dropped'));
  return items;
}
