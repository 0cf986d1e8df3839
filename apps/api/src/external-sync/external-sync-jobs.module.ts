import { Module } from '@nestjs/common';
import { ExternalSyncJobHandler } from './external-sync-job.handler.js';

/** The `external-sync` queue's handler (scheduled and on-demand runs). */
@Module({ providers: [ExternalSyncJobHandler] })
export class ExternalSyncJobsModule {}
