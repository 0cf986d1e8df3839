import { Inject, Injectable } from '@nestjs/common';
import { type AdvanceRunJob, WORKFLOW_QUEUE, WorkflowEngine } from '@mas/workflow';
import type { Job } from 'bullmq';
import { type JobHandler, JOBS_SETTINGS } from '../jobs/job-handler.js';
import { type JobsSettings } from '../jobs/jobs-settings.js';
import { QueueRegistry } from '../jobs/queue-registry.js';

export const SWEEP_JOB = 'sweep';

/**
 * Advances workflow runs. `sweep` (scheduled) re-queues runs whose job was lost, e.g. with a Redis
 * that restarted empty: Postgres knows which runs are overdue.
 */
@Injectable()
export class WorkflowJobHandler implements JobHandler {
  readonly queue = WORKFLOW_QUEUE;
  readonly concurrency: number;

  constructor(
    private readonly engine: WorkflowEngine,
    private readonly queues: QueueRegistry,
    @Inject(JOBS_SETTINGS) settings: JobsSettings,
  ) {
    this.concurrency = settings.workflowConcurrency;
  }

  async handle(job: Job): Promise<unknown> {
    if (job.name === SWEEP_JOB) return { requeued: await this.sweep() };
    await this.engine.advance((job.data as AdvanceRunJob).runId);
    return undefined;
  }

  private async sweep(): Promise<number> {
    const overdue = await this.engine.overdueRuns();
    const queue = this.queues.get(WORKFLOW_QUEUE)!;
    await queue.addBulk(
      overdue.map(({ id, stepNo, attempt }) => ({
        name: WORKFLOW_QUEUE,
        data: { runId: id } satisfies AdvanceRunJob,
        opts: { jobId: `sweep-${id}-${stepNo}-${attempt}` },
      })),
    );
    return overdue.length;
  }
}
