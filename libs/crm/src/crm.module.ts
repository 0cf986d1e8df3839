import { Module } from '@nestjs/common';
import { CrmController } from './crm.controller.js';
import { ActivitiesService } from './leads/activities.service.js';
import { LeadsService } from './leads/leads.service.js';
import { LeadOnApplicationInsert } from './subscribers/lead-on-application-insert.subscriber.js';
import { TagsService } from './tags/tags.service.js';

/** Leads, tags, activities and imports (Postgres schema mas_crm). */
@Module({
  controllers: [CrmController],
  providers: [LeadsService, ActivitiesService, TagsService, LeadOnApplicationInsert],
  exports: [LeadsService],
})
export class CrmModule {}
