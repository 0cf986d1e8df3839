import { Injectable } from '@nestjs/common';
import { type JobHandler } from '../jobs/job-handler.js';
import { QueueName } from '../jobs/queue-names.js';
import { KpiService } from './kpi.service.js';

/** The scheduled KPI snapshot; returns the snapshot id as the job's result. */
@Injectable()
export class KpiJobHandler implements JobHandler {
  readonly queue = QueueName.Kpi;
  readonly concurrency = 1;

  constructor(private readonly kpi: KpiService) {}

  async handle(): Promise<{ snapshotId: string }> {
    const snapshot = await this.kpi.computeSnapshot();
    return { snapshotId: snapshot.id };
  }
}
