import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { IMPORT_COLUMNS, REQUIRED_IMPORT_COLUMNS } from './import-lead-row.dto.js';
import { MAX_IMPORT_RECORD_CHARS } from './import-limits.js';
import { LeadFileError } from './lead-file-error.js';
import { SourceRow } from './source-row.js';

type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/**
 * The rows of a lead CSV, streamed (one record in memory at a time). The header row names the
 * columns (any order, case-insensitive); an empty cell is an absent value. A row with the wrong
 * number of cells is unreadable; broken CSV syntax makes the whole input unreadable, because a
 * parser cannot tell reliably where the rows after it begin.
 */
export async function* csvLeadRows(input: Readable): AsyncGenerator<SourceRow> {
  const records = input.pipe(
    parse({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: MAX_IMPORT_RECORD_CHARS,
    }),
  );
  // pipe() does not forward a read error (e.g. the file vanished) to the parser.
  input.once('error', (error) => records.destroy(error));
  let header: ImportColumn[] | undefined;
  let row = 0;
  try {
    for await (const record of records as AsyncIterable<string[]>) {
      if (!header) {
        header = columnsOf(record);
        continue;
      }
      row++;
      if (record.length !== header.length) {
        yield { row, unreadable: `expected ${header.length} cells, found ${record.length}` };
        continue;
      }
      const fields: Partial<Record<ImportColumn, string>> = {};
      header.forEach((column, index) => {
        if (record[index] !== '') fields[column] = record[index];
      });
      yield { row, fields };
    }
  } catch (error) {
    if (error instanceof CsvError)
      throw new LeadFileError(`the CSV cannot be read: ${error.message}`);
    throw error;
  }
  if (!header) throw new LeadFileError(`the CSV is empty: ${expectedHeader()}`);
}

function columnsOf(header: string[]): ImportColumn[] {
  const byLowerCase = new Map(IMPORT_COLUMNS.map((column) => [column.toLowerCase(), column]));
  const columns = header.map((name) => {
    const column = byLowerCase.get(name.toLowerCase());
    if (!column) throw new LeadFileError(`unknown CSV column "${name}": ${expectedHeader()}`);
    return column;
  });
  const repeated = columns.find((column, index) => columns.indexOf(column) !== index);
  if (repeated) throw new LeadFileError(`the CSV column ${repeated} appears twice`);
  const missing = REQUIRED_IMPORT_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length) {
    throw new LeadFileError(`the CSV has no ${missing.join(' or ')} column: ${expectedHeader()}`);
  }
  return columns;
}

function expectedHeader(): string {
  return (
    `the first row must name the columns, ${REQUIRED_IMPORT_COLUMNS.join(' and ')} required, ` +
    `from ${IMPORT_COLUMNS.join(', ')}`
  );
}
