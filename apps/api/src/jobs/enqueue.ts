import { withTimeout } from '@mas/persistence';
import type { JobsOptions, Queue } from 'bullmq';

/** How long an enqueue may take before it counts as failed (Redis down or unreachable). */
export const ENQUEUE_TIMEOUT_MS = 3000;

/**
 * Adds a job or throws within ENQUEUE_TIMEOUT_MS. A queue that has never reached Redis waits for
 * it indefinitely, so the bound is needed for the outbox row to stay pending and be retried.
 * Callers pass a `jobId`: a timed-out add may still land once Redis is back, and the retry with the
 * same id is then deduplicated by BullMQ.
 */
export async function enqueue(
  queue: Queue,
  name: string,
  data: Record<string, unknown>,
  options: JobsOptions & { jobId: string },
  timeoutMs = ENQUEUE_TIMEOUT_MS,
): Promise<void> {
  try {
    await withTimeout(queue.add(name, data, options), timeoutMs);
  } catch (error) {
    throw new Error(`queue ${queue.name} is unavailable: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
