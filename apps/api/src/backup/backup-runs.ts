import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BackupRun, type BackupRunKind, BackupRunStatus } from './backup-run.entity.js';

export interface RecordedRun {
  kind: BackupRunKind;
  ok: boolean;
  file: string | null;
  startedAt: Date;
  snapshotAt?: Date;
  detail: Record<string, unknown>;
}

/** The record of backup and drill runs. */
@Injectable()
export class BackupRuns {
  constructor(private readonly dataSource: DataSource) {}

  async record(run: RecordedRun): Promise<BackupRun> {
    return this.dataSource.getRepository(BackupRun).save({
      kind: run.kind,
      status: run.ok ? BackupRunStatus.Verified : BackupRunStatus.Failed,
      file: run.file,
      startedAt: run.startedAt,
      snapshotAt: run.snapshotAt ?? null,
      detail: run.detail,
    });
  }
}
