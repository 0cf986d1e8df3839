import { type DatabaseFacts } from './snapshot/database-facts.js';
import { type SequenceEntry, type TableEntry } from './snapshot/catalog.js';

export const MANIFEST_FORMAT = 1;

export interface TableManifest extends TableEntry {
  rows: number;
  /** Bytes of its COPY text (copy engine). */
  bytes?: number;
  /** SHA-256 of its COPY text, checked again when the file is read (copy engine). */
  sha256?: string;
}

export type BackupEngine = 'copy' | 'pg_dump';

/** The pg_dump engine's payload: one `pg_dump --format=custom` stream of the same snapshot. */
export interface DumpManifest {
  /** pg_dump's major version: a restore needs a pg_restore at least as new. */
  major: number;
  bytes: number;
  sha256: string;
}

/** What a backup holds and what its restore must match; the last record of the file. */
export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  /**
   * How the data was taken, always from one REPEATABLE READ snapshot: `copy`, COPY TO per table
   * (the schema comes from the migrations on restore); `pg_dump`, pg_dump of that same snapshot
   * (schema and data, restored by pg_restore).
   */
  engine: BackupEngine;
  dump?: DumpManifest;
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
