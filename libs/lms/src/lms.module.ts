import { Module } from '@nestjs/common';
import { FinanceModule } from '@mas/finance';
import { WorkflowModule } from '@mas/workflow';
import { ApplicationDiscountTarget } from './applications/application-discount-target.js';
import { ApplicationScope } from './applications/application-scope.js';
import { ApplicationsService } from './applications/applications.service.js';
import { CatalogService } from './colleges/catalog.service.js';
import { LmsController } from './lms.controller.js';
import { PapService } from './pap/pap.service.js';
import { CollegesSeed } from './seeds/colleges.seed.js';
import { LmsWorkflowActions } from './workflow/lms-workflow-actions.js';

/**
 * Colleges, courses, batches, applications and MAS-101 pay-after-placement workflows; registers
 * its workflow actions (lms.*).
 */
@Module({
  imports: [FinanceModule, WorkflowModule],
  controllers: [LmsController],
  providers: [
    CatalogService,
    ApplicationsService,
    ApplicationScope,
    PapService,
    ApplicationDiscountTarget,
    CollegesSeed,
    LmsWorkflowActions,
  ],
  exports: [ApplicationsService, ApplicationScope],
})
export class LmsModule {}
