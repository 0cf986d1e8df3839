import { type Readable } from 'node:stream';
import { CsvError, type Options, parse } from 'csv-parse';
import { IMPORT_COLUMNS, REQUIRED_IMPORT_COLUMNS } from './import-lead-row.dto.js';
import { MAX_IMPORT_RECORD_CHARS } from './import-limits.js';
import { LeadFileError } from './lead-file-error.js';
import { LineCounter } from './line-counter.js';
import { type SourceRow } from './source-row.js';

type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** What the parser makes of a record with the `raw` option: its cells and its text. */
interface RawRecord {
  record: string[];
  raw: string;
}

/** A parsed record and the line where it starts. */
interface LocatedRecord {
  cells: string[];
  line: number;
}

/**
 * The rows of a lead CSV, streamed (one record in memory at a time), each with the line where it
 * starts in the text (a quoted line break makes a record span lines). The header row names the
 * columns (any order, case-insensitive); an empty cell is an absent value. A row with the wrong
 * number of cells is unreadable; broken CSV syntax makes the whole input unreadable, because a
 * parser cannot tell reliably where the rows after it begin.
 */
export async function* csvLeadRows(input: Readable): AsyncGenerator<SourceRow> {
  const lines = new LineCounter();
  const options: Options<LocatedRecord, RawRecord> = {
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: MAX_IMPORT_RECORD_CHARS,
    raw: true,
    // Called in parse order, before any error: the count is right however the stream buffers.
    on_record: ({ record, raw }) => ({ cells: record, line: lines.consume(raw) }),
  };
  // The typings of parse() know on_record's types only together with the columns option.
  const records = input.pipe(parse(options as unknown as Options));
  // pipe() does not forward a read error (e.g. the file vanished) to the parser.
  input.once('error', (error) => records.destroy(error));
  let header: ImportColumn[] | undefined;
  let row = 0;
  try {
    for await (const { cells, line } of records as AsyncIterable<LocatedRecord>) {
      if (!header) {
        header = columnsOf(cells, line);
        continue;
      }
      row++;
      if (cells.length !== header.length) {
        yield { row, line, unreadable: `expected ${header.length} cells, found ${cells.length}` };
        continue;
      }
      const fields: Partial<Record<ImportColumn, string>> = {};
      header.forEach((column, index) => {
        if (cells[index] !== '') fields[column] = cells[index];
      });
      yield { row, line, fields };
    }
  } catch (error) {
    if (error instanceof CsvError) throw unreadableCsv(error, lines);
    throw error;
  }
  if (!header) throw new LeadFileError(`the CSV is empty: ${expectedHeader()}`);
}

/**
 * Names the line where the record that cannot be parsed starts. The parser's own "at line N" is
 * dropped: it counts a quoted CRLF as two lines.
 */
function unreadableCsv(error: CsvError, lines: LineCounter): LeadFileError {
  const raw = (error as CsvError & { raw?: unknown }).raw;
  const message = error.message.replace(/ at line \d+/, '');
  return new LeadFileError(
    `the CSV cannot be read: ${message}`,
    lines.startOf(typeof raw === 'string' ? raw : ''),
  );
}

function columnsOf(header: string[], line: number): ImportColumn[] {
  const byLowerCase = new Map(IMPORT_COLUMNS.map((column) => [column.toLowerCase(), column]));
  const columns = header.map((name) => {
    const column = byLowerCase.get(name.toLowerCase());
    if (!column) throw new LeadFileError(`unknown CSV column "${name}": ${expectedHeader()}`, line);
    return column;
  });
  const repeated = columns.find((column, index) => columns.indexOf(column) !== index);
  if (repeated) throw new LeadFileError(`the CSV column ${repeated} appears twice`, line);
  const missing = REQUIRED_IMPORT_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length) {
    throw new LeadFileError(
      `the CSV has no ${missing.join(' or ')} column: ${expectedHeader()}`,
      line,
    );
  }
  return columns;
}

function expectedHeader(): string {
  return (
    `the first row must name the columns, ${REQUIRED_IMPORT_COLUMNS.join(' and ')} required, ` +
    `from ${IMPORT_COLUMNS.join(', ')}`
  );
}
