import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum BackupRunKind {
  /** The daily backup: written, then read back and checked against its manifest. */
  Backup = 'backup',
  /** The weekly drill: the newest backup restored into a scratch database and verified. */
  Drill = 'drill',
}

export enum BackupRunStatus {
  Verified = 'verified',
  Failed = 'failed',
}

/** What each scheduled backup and restore drill did (schema superadmin); health reads the newest. */
@Entity({ name: 'backup_runs', schema: 'superadmin' })
@Index(['kind', 'finishedAt'])
export class BackupRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'enum', enum: BackupRunKind, enumName: 'backup_run_kind' })
  kind: BackupRunKind;

  @Column({ type: 'enum', enum: BackupRunStatus, enumName: 'backup_run_status' })
  status: BackupRunStatus;

  /** The backup file written (backup) or restored (drill); null when there was none to drill. */
  @Column({ type: 'text', nullable: true })
  file: string | null;

  @Column({ type: 'timestamptz', precision: 3 })
  startedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  finishedAt: Date;

  /** The time of the data the backup holds. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  snapshotAt: Date | null;

  /** Counts, sums and checks, or the error. */
  @Column({ type: 'jsonb' })
  detail: Record<string, unknown>;
}
