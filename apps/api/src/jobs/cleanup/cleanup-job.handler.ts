import { Injectable, Logger } from '@nestjs/common';
import { JobHandler } from '@mas/jobs';
import { type CleanupResult, CleanupService } from './cleanup.service.js';

/** The daily cleanup (expired unbooked slots, old dispatched outbox rows) at 03:00 UTC. */
@JobHandler({
  queue: 'cleanup',
  schedule: {
    id: 'cleanup-daily',
    jobName: 'cleanup',
    repeat: { pattern: '0 3 * * *', tz: 'UTC' },
  },
  jobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
})
@Injectable()
export class CleanupJobHandler implements JobHandler {
  private readonly logger = new Logger('CleanupJob');

  constructor(private readonly cleanup: CleanupService) {}

  async handle(): Promise<CleanupResult> {
    const result = await this.cleanup.run();
    this.logger.log(
      `cleanup: ${result.expiredSlotsDeleted} expired slots deleted, ` +
        `${result.outboxMessagesPruned} dispatched outbox messages pruned`,
    );
    return result;
  }
}
