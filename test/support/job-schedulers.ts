import type { INestApplicationContext } from '@nestjs/common';
import { JOB_SCHEDULES } from '../../apps/api/src/jobs/job-schedules.js';
import { QueueRegistry } from '../../apps/api/src/jobs/queue-registry.js';

/** The ids every process registers (sorted), to compare with `registeredSchedulerIds`. */
export const EXPECTED_SCHEDULER_IDS = JOB_SCHEDULES.map((s) => s.id).sort();

/** The ids of the job schedulers Redis holds for the app's queues, sorted. */
export async function registeredSchedulerIds(app: INestApplicationContext): Promise<string[]> {
  const registry = app.get(QueueRegistry);
  const all = await Promise.all(
    [...new Set(JOB_SCHEDULES.map((s) => s.queue))].map((name) =>
      registry.get(name)!.getJobSchedulers(),
    ),
  );
  return all
    .flat()
    .map((scheduler) => scheduler.key)
    .sort();
}
