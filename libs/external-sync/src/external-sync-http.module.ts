import { Module } from '@nestjs/common';
import { LmsModule } from '@mas/lms';
import { SyncAdminController } from './admin/sync-admin.controller.js';
import { SyncRequests } from './admin/sync-requests.js';
import { StudentProgressController } from './progress/student-progress.controller.js';
import { StudentProgressService } from './progress/student-progress.service.js';

/** The sync's HTTP side: its state and on-demand runs (admin), and a student's progress. */
@Module({
  imports: [LmsModule],
  controllers: [SyncAdminController, StudentProgressController],
  providers: [SyncRequests, StudentProgressService],
})
export class ExternalSyncHttpModule {}
