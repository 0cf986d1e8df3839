import { Injectable } from '@nestjs/common';
import { JobHandler } from '@mas/jobs';
import { RestoreDrill, type RestoreDrillResult } from './restore-drill.service.js';

/** The weekly restore drill, Sundays at 04:00 UTC (after that day's backup). */
@JobHandler({
  queue: 'backup-drill',
  schedule: {
    id: 'backup-restore-drill-weekly',
    jobName: 'restore-drill',
    repeat: { pattern: '0 4 * * 0', tz: 'UTC' },
  },
  // A failed drill is a finding to look at, not a glitch to retry into a pass.
  jobOptions: { attempts: 1 },
})
@Injectable()
export class RestoreDrillJobHandler implements JobHandler {
  constructor(private readonly drill: RestoreDrill) {}

  handle(): Promise<RestoreDrillResult> {
    return this.drill.run();
  }
}
