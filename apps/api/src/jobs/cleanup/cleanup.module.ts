import { Module } from '@nestjs/common';
import { CleanupJobHandler } from './cleanup-job.handler.js';
import { CleanupService } from './cleanup.service.js';

/** The daily cleanup of what several features leave behind (slots, outbox rows). */
@Module({
  providers: [CleanupService, CleanupJobHandler],
  exports: [CleanupService],
})
export class CleanupModule {}
