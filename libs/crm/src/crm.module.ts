import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { WorkflowModule } from '@mas/workflow';
import express from 'express';
import { CrmController } from './crm.controller.js';
import { MAX_IMPORT_BODY } from './imports/import-limits.js';
import { LeadImportService } from './imports/lead-import.service.js';
import { ActivitiesService } from './leads/activities.service.js';
import { LeadsService } from './leads/leads.service.js';
import { LeadOnApplicationInsert } from './subscribers/lead-on-application-insert.subscriber.js';
import { TagsService } from './tags/tags.service.js';
import { CrmWorkflowActions } from './workflow/crm-workflow-actions.js';

/** Leads, tags, activities and imports (Postgres schema mas_crm); registers crm.* workflow actions. */
@Module({
  imports: [WorkflowModule],
  controllers: [CrmController],
  providers: [
    LeadsService,
    ActivitiesService,
    TagsService,
    LeadImportService,
    LeadOnApplicationInsert,
    CrmWorkflowActions,
  ],
  exports: [LeadsService, LeadImportService],
})
export class CrmModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Nest parses only JSON and form bodies; the import route also takes CSV.
    consumer
      .apply(express.text({ type: 'text/csv', limit: MAX_IMPORT_BODY }))
      .forRoutes({ path: 'crm/leads/import', method: RequestMethod.POST });
  }
}
