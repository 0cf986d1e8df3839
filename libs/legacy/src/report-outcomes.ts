import type { SqlClient } from './import-phase.js';

export type ReportOutcome = 'merged' | 'changed' | 'skipped';

/** One decision about one legacy row, listed in the import report. */
export interface ReportItem {
  table: string;
  legacyId: string;
  outcome: ReportOutcome;
  reason: string;
}

/**
 * Records decisions in `legacy_import.report_items`, in the batch's transaction: they commit with its
 * checkpoint, so a committed batch never records them twice.
 */
export async function reportOutcomes(client: SqlClient, items: ReportItem[]): Promise<void> {
  if (!items.length) return;
  await client.query(
    `INSERT INTO legacy_import.report_items (table_name, legacy_id, outcome, reason)
     SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[])`,
    [
      items.map((item) => item.table),
      items.map((item) => item.legacyId),
      items.map((item) => item.outcome),
      items.map((item) => item.reason),
    ],
  );
}
