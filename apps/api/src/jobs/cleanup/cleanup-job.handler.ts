import { Injectable, Logger } from '@nestjs/common';
import { type JobHandler } from '../job-handler.js';
import { QueueName } from '../queue-names.js';
import { type CleanupResult, CleanupService } from './cleanup.service.js';

@Injectable()
export class CleanupJobHandler implements JobHandler {
  readonly queue = QueueName.Cleanup;
  readonly concurrency = 1;
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
