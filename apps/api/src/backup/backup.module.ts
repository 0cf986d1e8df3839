import { type DynamicModule, Module } from '@nestjs/common';
import { type BackupConfig } from '@mas/backup';
import { BACKUP_CONFIG } from './backup-config.token.js';
import { BackupJobHandler } from './backup-job.handler.js';
import { BackupRuns } from './backup-runs.js';
import { RestoreDrillJobHandler } from './restore-drill-job.handler.js';
import { RestoreDrill } from './restore-drill.service.js';
import { ScheduledBackup } from './scheduled-backup.service.js';

/**
 * Scheduled backups and restore drills (libs/backup does the work): their job handlers exist only
 * when BACKUP_DIR is set, so nothing is scheduled without a place to write to.
 */
@Module({})
export class BackupModule {
  static forRoot(config: BackupConfig): DynamicModule {
    return {
      module: BackupModule,
      global: true,
      providers: [
        { provide: BACKUP_CONFIG, useValue: config },
        BackupRuns,
        ...(config.dir
          ? [ScheduledBackup, RestoreDrill, BackupJobHandler, RestoreDrillJobHandler]
          : []),
      ],
      exports: [BACKUP_CONFIG],
    };
  }
}
