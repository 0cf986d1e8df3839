import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type BackupConfig,
  backupFileName,
  type Manifest,
  pruneBackups,
  readArchive,
  writeBackup,
} from '@mas/backup';
import { DATABASE_CONFIG, type DatabaseConfig } from '@mas/persistence';
import { DataSource } from 'typeorm';
import { BACKUP_CONFIG } from './backup-config.token.js';
import { BackupRunKind } from './backup-run.entity.js';
import { BackupRuns } from './backup-runs.js';
import { connectionOf } from './source-connection.js';

export interface ScheduledBackupResult {
  file: string;
  bytes: number;
  tables: number;
  rows: number;
  pruned: string[];
}

/** Summary of a manifest for the run record: no row data, no key. */
export function manifestSummary(manifest: Manifest): Record<string, unknown> {
  return {
    migrationHead: manifest.migrationHead,
    tables: manifest.tables.length,
    rows: manifest.tables.reduce((sum, table) => sum + table.rows, 0),
    money: manifest.facts.money,
  };
}

/**
 * The daily backup into BACKUP_DIR: written, read back whole (every chunk authenticated, every
 * table's SHA-256 and row count against the manifest), recorded, then the oldest beyond
 * BACKUP_KEEP removed. A failure is recorded too, and thrown for the job's retry.
 */
@Injectable()
export class ScheduledBackup {
  private readonly logger = new Logger('Backup');

  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: BackupRuns,
    @Inject(BACKUP_CONFIG) private readonly config: BackupConfig,
    @Inject(DATABASE_CONFIG) private readonly database: DatabaseConfig,
  ) {}

  async run(): Promise<ScheduledBackupResult> {
    const dir = this.config.dir!;
    const startedAt = new Date();
    const connection = connectionOf(this.dataSource);
    const file = join(dir, backupFileName(connection.database, startedAt));
    try {
      await mkdir(dir, { recursive: true });
      const written = await writeBackup({
        source: { connection, ssl: this.database.ssl },
        file,
        passphrase: this.config.encryptionKey,
      });
      const reread = await readArchive(file, this.config.encryptionKey);
      if (reread.snapshotAt !== written.snapshotAt) {
        throw new Error('the file read back is not the backup just written');
      }
      const { size } = await stat(file);
      const summary = manifestSummary(written);
      await this.runs.record({
        kind: BackupRunKind.Backup,
        ok: true,
        file,
        startedAt,
        snapshotAt: new Date(written.snapshotAt),
        detail: { ...summary, bytes: size, encrypted: this.config.encryptionKey !== undefined },
      });
      const pruned = await pruneBackups(dir, this.config.keep);
      this.logger.log(
        `backup ${file}: ${size} bytes, ${String(summary.rows)} rows; ${pruned.length} old removed`,
      );
      return {
        file,
        bytes: size,
        tables: written.tables.length,
        rows: summary.rows as number,
        pruned,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.runs.record({
        kind: BackupRunKind.Backup,
        ok: false,
        file,
        startedAt,
        detail: { error: message },
      });
      throw error;
    }
  }
}
