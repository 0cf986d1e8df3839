import type { INestApplicationContext } from '@nestjs/common';
import { QueueRegistry } from '@mas/jobs';

/**
 * The scheduler ids every process registers (sorted), to compare with `registeredSchedulerIds`.
 * Spelled out: deployments hold these ids in Redis, and a renamed one would run beside the old.
 */
export const EXPECTED_SCHEDULER_IDS = [
  'cleanup-daily',
  'kpi-every-15-minutes',
  'workflow-sweep-every-minute',
];

/** The ids of the job schedulers Redis holds for the app's queues, sorted. */
export async function registeredSchedulerIds(app: INestApplicationContext): Promise<string[]> {
  const all = await Promise.all(
    app
      .get(QueueRegistry)
      .all()
      .map((queue) => queue.getJobSchedulers()),
  );
  return all
    .flat()
    .map((scheduler) => scheduler.key)
    .sort();
}
