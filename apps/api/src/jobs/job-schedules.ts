import type { RepeatOptions } from 'bullmq';
import { SWEEP_JOB } from '../workflow/workflow-job.handler.js';
import { QueueName } from './queue-names.js';

export interface JobSchedule {
  /** Scheduler id: upserting the same id again replaces it, so every instance may register it. */
  id: string;
  queue: QueueName;
  jobName: string;
  repeat: Omit<RepeatOptions, 'key'>;
}

/**
 * Cron patterns rather than `every`: an `every` scheduler runs its first job as soon as it is
 * registered, so each boot would trigger a run.
 */
export const JOB_SCHEDULES: readonly JobSchedule[] = [
  {
    id: 'cleanup-daily',
    queue: QueueName.Cleanup,
    jobName: 'cleanup',
    repeat: { pattern: '0 3 * * *', tz: 'UTC' },
  },
  {
    id: 'kpi-every-15-minutes',
    queue: QueueName.Kpi,
    jobName: 'kpi-snapshot',
    repeat: { pattern: '*/15 * * * *', tz: 'UTC' },
  },
  {
    id: 'workflow-sweep-every-minute',
    queue: QueueName.Workflow,
    jobName: SWEEP_JOB,
    repeat: { pattern: '* * * * *', tz: 'UTC' },
  },
];
