import type { ImportPhase, SqlClient } from '../import-phase.js';
import { LegacyTable, qualifiedSource } from './legacy-tables.js';

/**
 * The step that copies one legacy table verbatim into `legacy_import.<name>`, a keyset batch at a
 * time. A batch travels as one JSON text: the source aggregates it, the target expands it with
 * json_populate_recordset, so values keep their exact text (wall-clock timestamps never become JS
 * Dates in some process time zone, numerics never floats) and memory holds one batch only.
 * Columns the staging table lacks are ignored; enums arrive as their labels. While the target
 * stores one batch, the source already reads the next (two servers working at once; at most two
 * batches in memory).
 */
interface Page {
  rows: string;
  n: number;
  last: string | null;
}

export function copyTableStep(source: SqlClient, table: LegacyTable): ImportPhase {
  const from = qualifiedSource(table);
  const page = (where: string) =>
    `SELECT coalesce(json_agg(t ORDER BY t.id), '[]')::text AS rows, count(*)::int AS n,
            (array_agg(t.id ORDER BY t.id DESC))[1]::text AS last
       FROM (SELECT * FROM ${from} ${where} ORDER BY id LIMIT $1) t`;
  const firstPage = page('');
  const nextPage = page('WHERE id > $2::uuid');
  const insert = `INSERT INTO legacy_import."${table.name}"
    SELECT * FROM json_populate_recordset(NULL::legacy_import."${table.name}", $1::json)
    ON CONFLICT (id) DO NOTHING`;

  const read = async (afterKey: string | null): Promise<Page> =>
    (
      await source.query<Page>(
        afterKey === null ? firstPage : nextPage,
        afterKey === null ? [batchSize] : [batchSize, afterKey],
      )
    ).rows[0];
  let batchSize = 0;
  let ahead: { afterKey: string; page: Promise<Page> } | undefined;
  const readAhead = (afterKey: string) => {
    const page = read(afterKey);
    // Awaited by the next batch; a failure there is the one that counts, not an unhandled rejection.
    page.catch(() => undefined);
    return { afterKey, page };
  };

  return {
    name: `copy:${table.name}`,
    total: async () => {
      const { rows } = await source.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from}`);
      return rows[0].n;
    },
    runBatch: async (target, afterKey, context) => {
      const prefetched = ahead?.afterKey === afterKey && batchSize === context.batchSize;
      batchSize = context.batchSize;
      const batch = prefetched ? await ahead!.page : await read(afterKey);
      ahead = batch.n && batch.last ? readAhead(batch.last) : undefined;
      if (batch.n) await target.query(insert, [batch.rows]);
      else await finishCopy(target, table);
      return { lastKey: batch.last, units: batch.n };
    },
  };
}

async function finishCopy(target: SqlClient, table: LegacyTable): Promise<void> {
  if (table.readBy)
    await target.query(`CLUSTER legacy_import."${table.name}" USING "${table.readBy}"`);
  // The staged table was empty when the import began: without statistics the planner picks
  // plans for an empty table, and the phases' joins over millions of rows crawl.
  await target.query(`ANALYZE legacy_import."${table.name}"`);
}
