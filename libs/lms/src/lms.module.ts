import { Module } from '@nestjs/common';
import { FinanceModule } from '@mas/finance';
import { ApplicationDiscountTarget } from './applications/application-discount-target.js';
import { ApplicationsService } from './applications/applications.service.js';
import { CatalogService } from './colleges/catalog.service.js';
import { LmsController } from './lms.controller.js';
import { PapService } from './pap/pap.service.js';
import { CollegesSeed } from './seeds/colleges.seed.js';

/** Colleges, courses, batches, applications and MAS-101 pay-after-placement workflows. */
@Module({
  imports: [FinanceModule],
  controllers: [LmsController],
  providers: [
    CatalogService,
    ApplicationsService,
    PapService,
    ApplicationDiscountTarget,
    CollegesSeed,
  ],
  exports: [ApplicationsService],
})
export class LmsModule {}
