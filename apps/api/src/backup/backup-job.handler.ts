import { Injectable } from '@nestjs/common';
import { JobHandler } from '@mas/jobs';
import { ScheduledBackup, type ScheduledBackupResult } from './scheduled-backup.service.js';

/** The daily backup into BACKUP_DIR at 02:00 UTC (before the 03:00 cleanup deletes anything). */
@JobHandler({
  queue: 'backup',
  schedule: {
    id: 'backup-daily',
    jobName: 'backup',
    repeat: { pattern: '0 2 * * *', tz: 'UTC' },
  },
  jobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 10 * 60_000 } },
})
@Injectable()
export class BackupJobHandler implements JobHandler {
  constructor(private readonly backup: ScheduledBackup) {}

  handle(): Promise<ScheduledBackupResult> {
    return this.backup.run();
  }
}
