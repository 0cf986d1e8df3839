import type { ImportContext, ImportPhase, PhaseBatch, SqlClient } from '../import-phase.js';
import { countStaged } from '../staged-rows.js';
import { reportOutcomes, type ReportItem } from '../report-outcomes.js';

interface SalesHeadLink {
  id: string;
  legacy_head_id: string;
  head_id: string | null;
  head_role: string | null;
}

/**
 * Sets `users.sales_head_id` from the legacy "salesHeadId" once every user exists (a head may sort
 * after the users it leads). The head goes through user_map like every user reference. Only
 * imported survivors get one (a merged account's head is dropped with the account's other fields),
 * and only while theirs is still unset, so a head changed since the import is never overwritten.
 * A head that is missing, not a sales_head, or the user itself (after a merge) is left unset and
 * reported: the API would refuse the same link.
 */
export const salesHeadsPhase: ImportPhase = {
  name: 'users_sales_heads',

  total: (client) => countStaged(client, 'users'),

  async runBatch(
    client: SqlClient,
    afterKey: string | null,
    context: ImportContext,
  ): Promise<PhaseBatch> {
    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM legacy_import.users
       WHERE $1::uuid IS NULL OR id > $1::uuid ORDER BY id LIMIT $2`,
      [afterKey, context.batchSize],
    );
    if (!rows.length) return { lastKey: afterKey, units: 0 };
    const lastKey = rows.at(-1)!.id;
    const { rows: links } = await client.query<SalesHeadLink>(
      `WITH links AS (
         SELECT u.id, u."salesHeadId" AS legacy_head_id, head_map.user_id AS head_id, head.role AS head_role
         FROM legacy_import.users u
         JOIN legacy_import.user_map own ON own.legacy_id = u.id AND own.user_id = u.id
         LEFT JOIN legacy_import.user_map head_map ON head_map.legacy_id = u."salesHeadId"
         LEFT JOIN public.users head ON head.id = head_map.user_id
         WHERE ($1::uuid IS NULL OR u.id > $1::uuid) AND u.id <= $2::uuid AND u."salesHeadId" IS NOT NULL
       ),
       updated AS (
         UPDATE public.users target SET sales_head_id = links.head_id
         FROM links
         WHERE target.id = links.id AND target.sales_head_id IS NULL
           AND links.head_role = 'sales_head' AND links.head_id <> links.id
       )
       SELECT * FROM links
       WHERE head_role IS DISTINCT FROM 'sales_head' OR head_id = id`,
      [afterKey, lastKey],
    );
    await reportOutcomes(client, links.map(outcomeOf));
    return { lastKey, units: rows.length };
  },
};

function outcomeOf(link: SalesHeadLink): ReportItem {
  const why =
    link.head_id === null
      ? `sales head ${link.legacy_head_id} does not exist`
      : link.head_id === link.id
        ? `sales head ${link.legacy_head_id} was merged into this user itself`
        : `sales head ${link.legacy_head_id} is a ${link.head_role ?? 'missing user'}, not a sales_head`;
  return {
    table: 'users',
    legacyId: link.id,
    outcome: 'changed',
    reason: `${why}; imported without one`,
  };
}
