import { createWriteStream, WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { SqlClient } from '../import-phase.js';
import { ImportReport, ReportedRow, reportedRows } from './import-report.js';

const PAGE = 5_000;

/**
 * Writes the full report as JSON: the summary, and for each table every reported row (legacy id,
 * outcome, reason), streamed from `legacy_import.report_items` a page at a time so a report of
 * millions of rows never sits in memory.
 */
export async function writeReportJson(
  client: SqlClient,
  report: ImportReport,
  path: string,
): Promise<void> {
  const out = createWriteStream(path);
  try {
    const { tables, ...rest } = report;
    const head = JSON.stringify(rest, null, 2);
    await write(out, `${head.slice(0, -2)},\n  "tables": [`);
    for (const [index, table] of tables.entries()) {
      // The examples are the printed summary's; here every reported row follows as `rows`.
      const summary = JSON.stringify(table, (key, value: unknown) =>
        key === 'examples' ? undefined : value,
      );
      await write(out, `${index ? ',' : ''}\n    ${summary.slice(0, -1)},"rows":[`);
      let after: ReportedRow | undefined;
      let first = true;
      for (;;) {
        const page = await reportedRows(client, table.table, PAGE, after);
        for (const row of page) {
          await write(out, `${first ? '' : ','}\n      ${JSON.stringify(row)}`);
          first = false;
        }
        if (page.length < PAGE) break;
        after = page[page.length - 1];
      }
      await write(out, `${first ? '' : '\n    '}]}`);
    }
    await write(out, '\n  ]\n}\n');
  } finally {
    out.end();
    await finished(out);
  }
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}
