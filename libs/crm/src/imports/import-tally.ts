import { type InvalidLeadRow, type LeadImportSummary } from './lead-import-summary.js';
import { type RowPosition } from './source-row.js';

/** Counts of one import; lists invalid rows up to a bound so that huge files keep memory flat. */
export class ImportTally {
  inserted = 0;
  skipped = 0;
  private readonly invalid: InvalidLeadRow[] = [];
  private invalidNotListed = 0;

  constructor(private readonly maxInvalidListed = Number.POSITIVE_INFINITY) {}

  addInvalid({ row, line }: RowPosition, reason: string): void {
    if (this.invalid.length >= this.maxInvalidListed) this.invalidNotListed++;
    else this.invalid.push(line === undefined ? { row, reason } : { line, row, reason });
  }

  summary(): LeadImportSummary {
    // Rows the database refused are found after later rows were validated.
    const invalid = [...this.invalid].sort((a, b) => a.row - b.row);
    const summary: LeadImportSummary = { inserted: this.inserted, skipped: this.skipped, invalid };
    if (this.invalidNotListed) summary.invalidNotListed = this.invalidNotListed;
    return summary;
  }
}
