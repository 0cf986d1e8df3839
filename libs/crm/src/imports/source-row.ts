/**
 * Where a row is: its number among the rows, from 1 (a CSV header is not a row), and, for rows read
 * from text (a CSV, a JSON file), the physical line where it starts (1-based, a header counted).
 */
export interface RowPosition {
  row: number;
  line?: number;
}

/** One row as read from a file or request body: its raw fields, still to be validated, or why they could not be read. */
export type SourceRow = RowPosition & ({ fields: unknown } | { unreadable: string });
