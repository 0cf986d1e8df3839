import { Inject, Injectable } from '@nestjs/common';
import { JobHandler, OUTBOX_ROW_ENDED, QueueRegistry } from '@mas/jobs';
import { OutboxCompletion } from '@mas/persistence';
import { type AdvanceRunJob, WORKFLOW_QUEUE, WorkflowEngine } from '@mas/workflow';
import type { Job } from 'bullmq';
import { type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';

export const SWEEP_JOB = 'sweep';

/**
 * Advances workflow runs. `sweep` (scheduled) re-queues runs whose job was lost, e.g. with a Redis
 * that restarted empty: Postgres knows which runs are overdue.
 */
@JobHandler({
  queue: WORKFLOW_QUEUE,
  schedule: {
    id: 'workflow-sweep-every-minute',
    jobName: SWEEP_JOB,
    repeat: { pattern: '* * * * *', tz: 'UTC' },
  },
  // Step failures are the engine's (recorded, retried per step); a failed job means the database
  // was unreachable, and the job is simply tried again.
  jobOptions: { attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
})
@Injectable()
export class WorkflowJobHandler implements JobHandler {
  readonly concurrency: number;

  constructor(
    private readonly engine: WorkflowEngine,
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.concurrency = config.workflowJobs.concurrency;
  }

  async handle(job: Job): Promise<unknown> {
    if (job.name === SWEEP_JOB) return { requeued: await this.sweep() };
    const jobRow = OutboxCompletion.isOutboxId(job.id) ? job.id : undefined;
    const rowEnded = await this.engine.advance((job.data as AdvanceRunJob).runId, jobRow);
    return rowEnded ? OUTBOX_ROW_ENDED : undefined;
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
