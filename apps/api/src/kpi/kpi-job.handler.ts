import { Injectable } from '@nestjs/common';
import { JobHandler } from '@mas/jobs';
import { KpiService } from './kpi.service.js';

/** The scheduled KPI snapshot; returns the snapshot id as the job's result. */
@JobHandler({
  queue: 'kpi',
  schedule: {
    id: 'kpi-every-15-minutes',
    jobName: 'kpi-snapshot',
    repeat: { pattern: '*/15 * * * *', tz: 'UTC' },
  },
  jobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 30_000 } },
})
@Injectable()
export class KpiJobHandler implements JobHandler {
  constructor(private readonly kpi: KpiService) {}

  async handle(): Promise<{ snapshotId: string }> {
    const snapshot = await this.kpi.computeSnapshot();
    return { snapshotId: snapshot.id };
  }
}
