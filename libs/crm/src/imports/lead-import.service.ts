import { Injectable } from '@nestjs/common';
import { User, UserRole } from '@mas/identity';
import { postgresErrorOf, TransactionRunner } from '@mas/persistence';
import { ImportLeadRow } from './import-lead-row.dto.js';
import { BoundedWrites } from './bounded-writes.js';
import { IMPORT_BATCH_SIZE, IMPORT_WRITERS } from './import-limits.js';
import { ImportTally } from './import-tally.js';
import { insertLeadBatch } from './insert-lead-batch.js';
import { LeadImportSummary } from './lead-import-summary.js';
import { type RowPosition, type SourceRow } from './source-row.js';
import { validateLeadRow } from './validate-lead-row.js';

export interface LeadImportOptions {
  /** Owner of every imported lead; null leaves them unassigned. */
  ownerId: string | null;
  /** Invalid rows beyond this many are only counted (`invalidNotListed`). */
  maxInvalidListed?: number;
  /** Called after each written batch with the number of rows done (written or found invalid). */
  onProgress?: (rowsDone: number) => void;
}

interface NumberedLead {
  position: RowPosition;
  lead: ImportLeadRow;
}

/** A sales head owns what they import; an admin's imports stay unassigned, as with create. */
export function ownerOfImportedLeads(importer: User): string | null {
  return importer.role === UserRole.SalesHead ? importer.id : null;
}

/**
 * The lead import behind both the HTTP route and `npm run crm:import`: validates every row like
 * CreateLeadDto, writes valid ones in batches of one INSERT and one transaction each (a failed batch
 * never undoes an earlier one), skips existing (source, email) pairs, and lists each bad row with
 * its reason instead of failing the others. Of duplicates within the input the first is kept,
 * unless they fall into two batches that are written at the same time.
 */
@Injectable()
export class LeadImportService {
  constructor(private readonly transactions: TransactionRunner) {}

  async import(
    rows: Iterable<SourceRow> | AsyncIterable<SourceRow>,
    options: LeadImportOptions,
  ): Promise<LeadImportSummary> {
    const tally = new ImportTally(options.maxInvalidListed);
    // The next batch is validated (CPU here) while earlier ones are written (CPU in Postgres).
    const writes = new BoundedWrites(IMPORT_WRITERS);
    let batch: NumberedLead[] = [];
    let rowsRead = 0;
    let rowsInBatches = 0;
    let rowsDone = 0;
    const queueBatch = async () => {
      const leads = batch;
      const rows = rowsRead - rowsInBatches;
      batch = [];
      rowsInBatches = rowsRead;
      await writes.add(async () => {
        await this.writeBatch(leads, options.ownerId, tally);
        options.onProgress?.((rowsDone += rows));
      });
    };
    try {
      for await (const source of rows) {
        rowsRead++;
        const checked =
          'unreadable' in source ? { reason: source.unreadable } : validateLeadRow(source.fields);
        const position = { row: source.row, line: source.line };
        if ('reason' in checked) tally.addInvalid(position, checked.reason);
        else batch.push({ position, lead: checked.lead });
        if (rowsRead - rowsInBatches === IMPORT_BATCH_SIZE) await queueBatch();
      }
      await queueBatch();
    } finally {
      await writes.settle();
    }
    writes.throwIfFailed();
    return tally.summary();
  }

  private async writeBatch(
    leads: NumberedLead[],
    ownerId: string | null,
    tally: ImportTally,
  ): Promise<void> {
    if (!leads.length) return;
    try {
      const inserted = await this.transactions.run((tx) =>
        insertLeadBatch(
          tx,
          leads.map(({ lead }) => lead),
          ownerId,
        ),
      );
      tally.inserted += inserted;
      tally.skipped += leads.length - inserted;
    } catch (error) {
      if (!isRefusedValue(error)) throw error;
      if (leads.length === 1) {
        tally.addInvalid(leads[0].position, `the database refused it: ${(error as Error).message}`);
        return;
      }
      // Halve until each refused row is alone; every other row of the batch still goes in.
      const middle = Math.ceil(leads.length / 2);
      await this.writeBatch(leads.slice(0, middle), ownerId, tally);
      await this.writeBatch(leads.slice(middle), ownerId, tally);
    }
  }
}

/** Data exceptions (22xxx) and integrity violations (23xxx) are about a row, not the database. */
function isRefusedValue(error: unknown): boolean {
  const code = postgresErrorOf(error)?.code ?? '';
  return code.startsWith('22') || code.startsWith('23');
}
