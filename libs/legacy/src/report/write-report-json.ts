import { type FileHandle, open } from 'node:fs/promises';
import type { SqlClient } from '../import-phase.js';
import { type ImportReport, REPORTED_ROW_ORDER, type ReportedRow } from './import-report.js';

const PAGE = 5_000;
const FLUSH_AT = 64 * 1024;

/**
 * Writes the full report as JSON: the summary, and for each table every reported row (legacy id,
 * outcome, reason), read from `legacy_import.report_items` through a cursor a page at a time so a
 * report of millions of rows never sits in memory. One sorted pass: the table has no index to
 * page by, since keeping one up to date cost the import more than this sort costs the report.
 */
export async function writeReportJson(
  client: SqlClient,
  report: ImportReport,
  path: string,
): Promise<void> {
  const file = await open(path, 'w');
  const rows = reportedRowsInOrder(
    client,
    report.tables.map((table) => table.table),
  );
  try {
    const out = bufferedWriter(file);
    const { tables, ...rest } = report;
    const head = JSON.stringify(rest, null, 2);
    await out.write(`${head.slice(0, -2)},\n  "tables": [`);
    let next = await rows.next();
    for (const [index, table] of tables.entries()) {
      // The examples are the printed summary's; here every reported row follows as `rows`.
      const summary = JSON.stringify(table, (key, value: unknown) =>
        key === 'examples' ? undefined : value,
      );
      await out.write(`${index ? ',' : ''}\n    ${summary.slice(0, -1)},"rows":[`);
      let first = true;
      for (; !next.done && next.value.table === table.table; next = await rows.next()) {
        const { legacyId, outcome, reason } = next.value;
        await out.write(
          `${first ? '' : ','}\n      ${JSON.stringify({ legacyId, outcome, reason })}`,
        );
        first = false;
      }
      await out.write(`${first ? '' : '\n    '}]}`);
    }
    await out.write('\n  ]\n}\n');
    await out.flush();
  } finally {
    await rows.return(undefined);
    await file.close();
  }
}

/**
 * Every reported row, table by table in the report's order, each table's rows in the summary's
 * order. A WITH HOLD cursor works inside the dry run's transaction and outside any.
 */
async function* reportedRowsInOrder(
  client: SqlClient,
  tables: string[],
): AsyncGenerator<ReportedRow & { table: string }> {
  await client.query(
    `DECLARE legacy_report_rows NO SCROLL CURSOR WITH HOLD FOR
     SELECT table_name AS "table", legacy_id AS "legacyId", outcome, reason
       FROM legacy_import.report_items
      ORDER BY array_position(${tableList(tables)}, table_name), ${REPORTED_ROW_ORDER}`,
  );
  try {
    for (;;) {
      const page = await client.query<ReportedRow & { table: string }>(
        `FETCH FORWARD ${PAGE} FROM legacy_report_rows`,
      );
      yield* page.rows;
      if (page.rows.length < PAGE) return;
    }
  } finally {
    await client.query('CLOSE legacy_report_rows');
  }
}

/** DECLARE takes no parameters: the names (the report's own table names) as an array literal. */
function tableList(tables: string[]): string {
  return `ARRAY[${tables.map((name) => `'${name.replaceAll("'", "''")}'`).join(', ')}]::text[]`;
}

function bufferedWriter(file: FileHandle) {
  let pending = '';
  const flush = async () => {
    if (pending) await file.write(pending);
    pending = '';
  };
  return {
    write: async (text: string) => {
      pending += text;
      if (pending.length >= FLUSH_AT) await flush();
    },
    flush,
  };
}
