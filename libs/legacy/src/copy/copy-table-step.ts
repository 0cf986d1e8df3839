import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { isUuid } from '@mas/persistence';
import type { ImportPhase, SqlClient } from '../import-phase.js';
import { type LegacyTable, qualifiedSource } from './legacy-tables.js';

/**
 * A copy batch is this many times `--batch-size` rows: a copied row costs a fraction of a phase's
 * row, and the rows stream through without being held, so memory does not grow with the batch.
 * Per-batch overhead (the range query, the transaction) dominated at the phases' size: 1M staged
 * ledger rows took 14 s in batches of 1,000 and 9 s in batches of 10,000.
 */
const COPY_BATCH_FACTOR = 10;

/**
 * The step that copies one legacy table verbatim into `legacy_import.<name>`, a keyset range of
 * ids at a time, with COPY: the source writes the range as COPY text and the target reads that
 * stream as it comes (both servers at work at once), so values keep their exact text (wall-clock
 * timestamps never become JS Dates in some process time zone, numerics never floats). Only the
 * staging table's columns are read; enums arrive as their labels.
 */
export function copyTableStep(source: SqlClient, table: LegacyTable): ImportPhase {
  const from = qualifiedSource(table);
  let columns: string | undefined;

  /** The next range: how many ids follow `afterKey` (at most `limit`), and the last of them. */
  const nextRange = async (afterKey: string | null, limit: number) =>
    (
      await source.query<{ n: number; last: string | null }>(
        `SELECT count(*)::int AS n, (array_agg(id ORDER BY id DESC))[1]::text AS last
           FROM (SELECT id FROM ${from} ${afterKey === null ? '' : 'WHERE id > $2::uuid'}
                  ORDER BY id LIMIT $1) k`,
        afterKey === null ? [limit] : [limit, afterKey],
      )
    ).rows[0];

  return {
    name: `copy:${table.name}`,
    total: async () => {
      const { rows } = await source.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from}`);
      return rows[0].n;
    },
    runBatch: async (target, afterKey, context) => {
      if (columns === undefined) {
        columns = await stagingColumns(target, table);
        // COPY writes timestamps as the session's DateStyle says; ISO reads back the same anywhere.
        await source.query(`SET DateStyle = 'ISO, YMD'`);
      }
      const range = await nextRange(afterKey, context.batchSize * COPY_BATCH_FACTOR);
      if (!range.n || range.last === null) {
        await finishCopy(target, table);
        return { lastKey: afterKey, units: 0 };
      }
      const lower = afterKey === null ? '' : `id > ${uuidLiteral(afterKey)} AND `;
      // The batch's transaction commits the rows with the checkpoint, so a committed range is
      // never copied again and no row is there twice (COPY has no ON CONFLICT).
      await pipeline(
        source.query(
          copyTo(
            `COPY (SELECT ${columns} FROM ${from} WHERE ${lower}id <= ${uuidLiteral(range.last)}) TO STDOUT`,
          ),
        ),
        target.query(copyFrom(`COPY legacy_import."${table.name}" (${columns}) FROM STDIN`)),
      );
      return { lastKey: range.last, units: range.n };
    },
  };
}

/** The staging table's columns, quoted, in order: the contract's column list for this table. */
async function stagingColumns(target: SqlClient, table: LegacyTable): Promise<string> {
  const { rows } = await target.query<{ name: string }>(
    `SELECT quote_ident(column_name) AS name FROM information_schema.columns
      WHERE table_schema = 'legacy_import' AND table_name = $1 ORDER BY ordinal_position`,
    [table.name],
  );
  return rows.map((row) => row.name).join(', ');
}

/** COPY takes no parameters: a key (read back from the source as uuid text) as a literal. */
function uuidLiteral(key: string): string {
  if (!isUuid(key)) throw new Error('a key read back from the source is not a uuid');
  return `'${key}'::uuid`;
}

async function finishCopy(target: SqlClient, table: LegacyTable): Promise<void> {
  if (table.readBy)
    await target.query(`CLUSTER legacy_import."${table.name}" USING "${table.readBy}"`);
  // The staged table was empty when the import began: without statistics the planner picks
  // plans for an empty table, and the phases' joins over millions of rows crawl.
  await target.query(`ANALYZE legacy_import."${table.name}"`);
}
