import type { ImportReport, TableReport } from './import-report.js';
import { formatMoneyParity } from '../money/money-parity.js';

const COLUMNS = ['legacy rows', 'imported', 'merged', 'changed', 'skipped'] as const;

/**
 * The report as a person reads it on stdout, ending with the money parity line; `seconds` is the
 * time the import's steps took (the app's boot not included).
 */
export function formatReport(report: ImportReport, seconds?: number): string {
  const width = Math.max(...report.tables.map((table) => table.table.length), 'table'.length);
  const cells = (table: TableReport) => [
    table.legacyRows ?? '-',
    table.imported,
    table.merged,
    table.changed,
    table.skipped,
  ];
  const line = (name: string, values: (string | number)[]) =>
    `${name.padEnd(width)}  ${values.map((value, i) => format(value).padStart(COLUMNS[i].length)).join('  ')}`;
  const lines = [
    report.dryRun
      ? 'legacy:import DRY RUN: nothing was written; this is what the import would do.'
      : `legacy:import completed${seconds === undefined ? '' : ` in ${seconds.toFixed(1)} s`}.`,
    `legacy wall-clock time zone: ${report.timezone}`,
    '',
    line('table', [...COLUMNS]),
    ...report.tables.map((table) => line(table.table, cells(table))),
  ];
  for (const table of report.tables) {
    const listed = table.merged + table.changed + table.skipped;
    if (!table.examples.length) continue;
    lines.push('', `${table.table}:`);
    for (const row of table.examples) lines.push(`  ${row.outcome} ${row.legacyId}: ${row.reason}`);
    const more = listed - table.examples.length;
    if (more > 0)
      lines.push(`  … ${format(listed)} reported in all; --report <file.json> lists every one`);
  }
  lines.push('', formatMoneyParity(report.money));
  return lines.join('\n');
}

function format(value: string | number): string {
  return typeof value === 'number' ? value.toLocaleString('en-US') : value;
}
