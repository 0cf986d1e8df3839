import { FileHandle, open } from 'node:fs/promises';
import type { SqlClient } from '../import-phase.js';
import { ImportReport, ReportedRow, reportedRows } from './import-report.js';

const PAGE = 5_000;
const FLUSH_AT = 64 * 1024;

/**
 * Writes the full report as JSON: the summary, and for each table every reported row (legacy id,
 * outcome, reason), read from `legacy_import.report_items` a page at a time so a report of
 * millions of rows never sits in memory.
 */
export async function writeReportJson(
  client: SqlClient,
  report: ImportReport,
  path: string,
): Promise<void> {
  const file = await open(path, 'w');
  try {
    const out = bufferedWriter(file);
    const { tables, ...rest } = report;
    const head = JSON.stringify(rest, null, 2);
    await out.write(`${head.slice(0, -2)},\n  "tables": [`);
    for (const [index, table] of tables.entries()) {
      // The examples are the printed summary's; here every reported row follows as `rows`.
      const summary = JSON.stringify(table, (key, value: unknown) =>
        key === 'examples' ? undefined : value,
      );
      await out.write(`${index ? ',' : ''}\n    ${summary.slice(0, -1)},"rows":[`);
      let after: ReportedRow | undefined;
      let first = true;
      for (;;) {
        const page = await reportedRows(client, table.table, PAGE, after);
        for (const row of page) {
          await out.write(`${first ? '' : ','}\n      ${JSON.stringify(row)}`);
          first = false;
        }
        if (page.length < PAGE) break;
        after = page[page.length - 1];
      }
      await out.write(`${first ? '' : '\n    '}]}`);
    }
    await out.write('\n  ]\n}\n');
    await out.flush();
  } finally {
    await file.close();
  }
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
