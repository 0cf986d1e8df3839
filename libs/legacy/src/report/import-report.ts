import type { SqlClient } from '../import-phase.js';
import type { ReportOutcome } from '../report-outcomes.js';
import { LEGACY_TABLES } from '../copy/legacy-tables.js';
import { IMPORTED_ROWS_SQL } from './imported-rows.js';
import { type MoneyParity, moneyParity } from '../money/money-parity.js';

export interface ReportedRow {
  legacyId: string;
  outcome: ReportOutcome;
  reason: string;
}

export interface TableReport {
  table: string;
  /** Rows of the legacy table (staged copy); null for a name only the phases' reports use. */
  legacyRows: number | null;
  /** Legacy rows whose id exists as a native row. */
  imported: number;
  /** Distinct legacy rows reported with each outcome. */
  merged: number;
  changed: number;
  skipped: number;
  /** A few of the reported rows, for the printed summary (the JSON report lists them all). */
  examples: ReportedRow[];
}

export interface ImportReport {
  dryRun: boolean;
  timezone: string;
  tables: TableReport[];
  money: MoneyParity;
}

const EXAMPLES_PER_TABLE = 5;

/** How a table's reported rows are ordered, in the summary's examples and in the JSON report. */
export const REPORTED_ROW_ORDER = 'legacy_id, outcome, reason';

/** Counts computed from the staging tables, the native tables and `legacy_import.report_items`. */
export async function buildImportReport(
  client: SqlClient,
  options: { dryRun: boolean; timezone: string },
): Promise<ImportReport> {
  const outcomes = await client.query<{ table_name: string; outcome: ReportOutcome; n: number }>(
    `SELECT table_name, outcome, count(DISTINCT legacy_id)::int AS n
       FROM legacy_import.report_items GROUP BY table_name, outcome`,
  );
  const reportedTables = [...new Set(outcomes.rows.map((row) => row.table_name))].sort();
  const names = [
    ...LEGACY_TABLES.map((table) => table.name),
    ...reportedTables.filter((name) => !LEGACY_TABLES.some((table) => table.name === name)),
  ];
  const examples = await reportExamples(client, EXAMPLES_PER_TABLE);
  const tables: TableReport[] = [];
  for (const table of names) {
    const count = (outcome: ReportOutcome) =>
      outcomes.rows.find((row) => row.table_name === table && row.outcome === outcome)?.n ?? 0;
    const staged = IMPORTED_ROWS_SQL[table] !== undefined;
    tables.push({
      table,
      legacyRows: staged ? await countRows(client, `legacy_import."${table}"`) : null,
      imported: staged
        ? (await client.query<{ n: number }>(IMPORTED_ROWS_SQL[table])).rows[0].n
        : 0,
      merged: count('merged'),
      changed: count('changed'),
      skipped: count('skipped'),
      examples: examples.get(table) ?? [],
    });
  }
  return { ...options, tables, money: await moneyParity(client) };
}

async function countRows(client: SqlClient, table: string): Promise<number> {
  return (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
}

/**
 * The first few reported rows of each table, in the order the JSON report lists them (legacy id,
 * outcome, reason: it does not depend on when a row was recorded), in one pass.
 */
async function reportExamples(
  client: SqlClient,
  perTable: number,
): Promise<Map<string, ReportedRow[]>> {
  const { rows } = await client.query<ReportedRow & { table: string }>(
    `SELECT table_name AS "table", legacy_id AS "legacyId", outcome, reason
       FROM (SELECT *, row_number() OVER (PARTITION BY table_name ORDER BY ${REPORTED_ROW_ORDER}) AS rank
               FROM legacy_import.report_items) ranked
      WHERE rank <= $1
      ORDER BY table_name, rank`,
    [perTable],
  );
  const examples = new Map<string, ReportedRow[]>();
  for (const { table, ...row } of rows) examples.set(table, [...(examples.get(table) ?? []), row]);
  return examples;
}
