import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type BackupConfig,
  formatVerification,
  listBackups,
  restoreBackup,
  type Verification,
} from '@mas/backup';
import { DATABASE_CONFIG, type DatabaseConfig, dropDatabase } from '@mas/persistence';
import { DataSource } from 'typeorm';
import { BACKUP_CONFIG } from './backup-config.token.js';
import { BackupRunKind } from './backup-run.entity.js';
import { BackupRuns } from './backup-runs.js';
import { manifestSummary } from './scheduled-backup.service.js';
import { connectionOf } from './source-connection.js';

export interface RestoreDrillResult {
  file: string | null;
  ok: boolean;
  scratchDatabase: string;
  checks: Verification['checks'];
  error?: string;
}

/**
 * The weekly proof that backups restore: the newest file in BACKUP_DIR is restored into a scratch
 * database on the same server, verified against its manifest, and the scratch database dropped.
 * The outcome is recorded either way; a failed drill also fails its job.
 */
@Injectable()
export class RestoreDrill {
  private readonly logger = new Logger('RestoreDrill');

  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: BackupRuns,
    @Inject(BACKUP_CONFIG) private readonly config: BackupConfig,
    @Inject(DATABASE_CONFIG) private readonly database: DatabaseConfig,
  ) {}

  async run(): Promise<RestoreDrillResult> {
    const startedAt = new Date();
    const source = connectionOf(this.dataSource);
    const scratchDatabase = `${source.database.slice(0, 40)}_restore_drill_${randomBytes(4).toString('hex')}`;
    const target = { connection: { ...source, database: scratchDatabase }, ssl: this.database.ssl };
    const [file = null] = await listBackups(this.config.dir!);
    let result: RestoreDrillResult;
    let snapshotAt: Date | undefined;
    let summary: Record<string, unknown> = {};
    try {
      if (!file) throw new Error(`no backup in ${this.config.dir} to restore`);
      const outcome = await restoreBackup({
        file,
        passphrase: this.config.encryptionKey,
        target: target,
      });
      snapshotAt = new Date(outcome.manifest.snapshotAt);
      summary = manifestSummary(outcome.manifest);
      result = {
        file,
        ok: outcome.verification.ok,
        scratchDatabase,
        checks: outcome.verification.checks,
      };
      this.logger.log(`restore drill of ${file}:\n${formatVerification(outcome.verification)}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result = { file, ok: false, scratchDatabase, checks: [], error: message };
      this.logger.error(`restore drill of ${file ?? '(none)'} failed: ${message}`);
    } finally {
      await dropDatabase(target.connection, target.ssl);
    }
    await this.runs.record({
      kind: BackupRunKind.Drill,
      ok: result.ok,
      file,
      startedAt,
      snapshotAt,
      detail: { ...summary, scratchDatabase, checks: result.checks, error: result.error },
    });
    if (!result.ok)
      throw new Error(`restore drill failed: ${result.error ?? 'verification mismatch'}`);
    return result;
  }
}
