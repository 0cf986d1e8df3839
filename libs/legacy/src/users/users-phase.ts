import type { ImportContext, ImportPhase, PhaseBatch, SqlClient } from '../import-phase.js';
import { countStaged, TRIMMED_WHITESPACE } from '../staged-rows.js';
import { reportOutcomes, type ReportItem } from '../report-outcomes.js';

/** What the API's validation accepts for a name (non-empty, at most 150 characters). */
export const PLACEHOLDER_FULL_NAME = 'Unnamed user';
const FULL_NAME_MAX = 150;

interface ResolvedUser {
  id: string;
  user_id: string;
  survivor_id: string;
  role: string;
  email: string;
  email_key: string;
  name_empty: boolean;
  name_cut: boolean;
  is_active: boolean;
  any_active: boolean;
}

/**
 * Legacy users → `users` + `legacy_import.user_map`, in batches by legacy id.
 *
 * Decisions (listed in the report):
 * - Emails equal after trimming and lower-casing are one person: the earliest account ("createdAt",
 *   then id) survives with its own id, fields and password; the others map to it. The survivor is
 *   chosen with a window over every staged account sharing the email, so it does not depend on
 *   which batch a row falls in. Without an index that window reads the staged users once per
 *   batch; an index on legacy_import.users (lower(btrim(email))) makes it a lookup.
 * - An email that already belongs to a user of this database (e.g. the admin seeded at boot) maps
 *   to that user, whose fields and password stay.
 * - A survivor that was inactive while one of its merged accounts was active is imported active:
 *   the person was still using the service, and a merge must not lock them out.
 * - Emails are stored trimmed and lower-cased, as the API stores them.
 * - superadmin → admin; names trimmed, empty → PLACEHOLDER_FULL_NAME, longer than 150 → cut.
 * - The bcrypt hash is kept verbatim; the first login upgrades it (libs/identity).
 * - sales heads are set by the next phase, once every user exists.
 */
export const usersPhase: ImportPhase = {
  name: 'users',

  total: (client) => countStaged(client, 'users'),

  async runBatch(
    client: SqlClient,
    afterKey: string | null,
    context: ImportContext,
  ): Promise<PhaseBatch> {
    const { rows } = await client.query<ResolvedUser>(
      `WITH batch AS (
         SELECT u.*, lower(btrim(u.email)) AS email_key, btrim(u."fullName", $4) AS trimmed_name
         FROM legacy_import.users u
         WHERE $1::uuid IS NULL OR u.id > $1::uuid
         ORDER BY u.id LIMIT $2
       ),
       peers AS (
         SELECT p.id, lower(btrim(p.email)) AS email_key,
                first_value(p.id) OVER same_email AS survivor_id,
                bool_or(p."isActive") OVER (PARTITION BY lower(btrim(p.email))) AS any_active
         FROM legacy_import.users p
         WHERE lower(btrim(p.email)) IN (SELECT email_key FROM batch)
         WINDOW same_email AS (PARTITION BY lower(btrim(p.email)) ORDER BY p."createdAt", p.id)
       ),
       resolved AS (
         SELECT b.*, p.survivor_id, p.any_active, coalesce(native.id, p.survivor_id) AS user_id
         FROM batch b
         JOIN peers p ON p.id = b.id
         LEFT JOIN public.users native
           ON native.email = b.email_key::citext AND native.id <> p.survivor_id
       ),
       inserted_users AS (
         INSERT INTO public.users
           (id, email, password_hash, full_name, role, stage, is_active, created_at, updated_at)
         SELECT id, email_key, password,
                CASE WHEN coalesce(trimmed_name, '') = '' THEN $5
                     ELSE rtrim(left(trimmed_name, $6), $4) END,
                (CASE role WHEN 'superadmin' THEN 'admin' ELSE role END)::public.user_role,
                stage::public.user_stage, any_active,
                "createdAt" AT TIME ZONE $3, "updatedAt" AT TIME ZONE $3
         FROM resolved WHERE user_id = id
         ON CONFLICT (id) DO NOTHING
       ),
       mapped AS (
         INSERT INTO legacy_import.user_map (legacy_id, user_id)
         SELECT id, user_id FROM resolved
         ON CONFLICT (legacy_id) DO NOTHING
       )
       SELECT id, user_id, survivor_id, role, email, email_key, "isActive" AS is_active, any_active,
              coalesce(trimmed_name, '') = '' AS name_empty, length(trimmed_name) > $6 AS name_cut
       FROM resolved ORDER BY id`,
      [
        afterKey,
        context.batchSize,
        context.timezone,
        TRIMMED_WHITESPACE,
        PLACEHOLDER_FULL_NAME,
        FULL_NAME_MAX,
      ],
    );
    await reportOutcomes(client, rows.flatMap(outcomesOf));
    // Every later phase joins through user_map: give the planner its statistics once it is full.
    if (!rows.length) await client.query('ANALYZE legacy_import.user_map');
    return { lastKey: rows.at(-1)?.id ?? afterKey, units: rows.length };
  },
};

function outcomesOf(user: ResolvedUser): ReportItem[] {
  const item = (outcome: ReportItem['outcome'], reason: string): ReportItem => ({
    table: 'users',
    legacyId: user.id,
    outcome,
    reason,
  });
  if (user.user_id !== user.id) {
    return [
      item(
        'merged',
        user.user_id === user.survivor_id
          ? `email differs only in case or spaces from ${user.survivor_id}, the earliest account; ` +
              `merged into it (its fields and password win)`
          : `email already belongs to user ${user.user_id} of this database; ` +
              `merged into it (that user's fields and password win)`,
      ),
    ];
  }
  const items: ReportItem[] = [];
  if (user.role === 'superadmin') items.push(item('changed', 'role superadmin became admin'));
  if (user.name_empty) {
    items.push(item('changed', `full name was empty; set to "${PLACEHOLDER_FULL_NAME}"`));
  }
  if (user.name_cut) {
    items.push(item('changed', `full name longer than ${FULL_NAME_MAX} characters; cut`));
  }
  if (user.email !== user.email_key) {
    items.push(item('changed', 'email stored trimmed and in lower case'));
  }
  if (!user.is_active && user.any_active) {
    items.push(
      item('changed', 'was inactive but an account merged into it was active; imported as active'),
    );
  }
  return items;
}
