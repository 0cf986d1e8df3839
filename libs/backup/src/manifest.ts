import { type DatabaseFacts } from './snapshot/database-facts.js';
import { type SequenceEntry, type TableEntry } from './snapshot/catalog.js';

export const MANIFEST_FORMAT = 1;

export interface TableManifest extends TableEntry {
  rows: number;
  /** Bytes of its COPY text. */
  bytes: number;
  /** SHA-256 of its COPY text, checked again when the file is read. */
  sha256: string;
}

/** What a backup holds and what its restore must match; the last record of the file. */
export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  /** How the rows were taken: one REPEATABLE READ transaction, COPY TO per table. */
  engine: 'copy';
  database: string;
  /** The snapshot's time (the transaction's start): the backup holds the data as of then. */
  snapshotAt: string;
  finishedAt: string;
  /** The newest applied migration: a restore migrates an empty database to exactly this one. */
  migrationHead: string | null;
  facts: DatabaseFacts;
  tables: TableManifest[];
  sequences: SequenceEntry[];
}
