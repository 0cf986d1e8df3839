import { Logger } from '@nestjs/common';
import { type JobHandler, OUTBOX_ROW_ENDED } from '@mas/jobs';
import { OutboxCompletion } from '@mas/persistence';
import { type Job, UnrecoverableError } from 'bullmq';

const logger = new Logger('QueueWorkers');

/**
 * The processor of a handler's worker: runs the job, then ends the outbox row the job was born
 * from (job id = outbox id) as done, unless the handler's result says it did (OUTBOX_ROW_ENDED),
 * or as failed once no attempt is left. Jobs with no row (schedules) and handlers that end their
 * rows themselves are run as they are. A failure to record completion fails the attempt, so the
 * job runs again rather than its row being re-queued forever.
 */
export function outboxCompletingProcessor(
  handler: JobHandler,
  completion: OutboxCompletion,
): (job: Job) => Promise<unknown> {
  if (handler.completesOutboxRow) return (job) => handler.handle(job);
  return async (job) => {
    const outboxId = OutboxCompletion.isOutboxId(job.id) ? job.id : undefined;
    try {
      const result = await handler.handle(job);
      if (result === OUTBOX_ROW_ENDED) return undefined;
      if (outboxId) await completion.done(outboxId);
      return result;
    } catch (error) {
      if (outboxId && isFinalAttempt(job, error)) {
        await completion.failed(outboxId, (error as Error).message).catch((failure: unknown) => {
          logger.warn(`outbox row ${outboxId} not marked failed: ${(failure as Error).message}`);
        });
      }
      throw error;
    }
  };
}

function isFinalAttempt(job: Job, error: unknown): boolean {
  // attemptsMade counts the attempts that already failed, not the running one.
  return error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
