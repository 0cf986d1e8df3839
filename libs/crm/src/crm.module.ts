import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { LmsModule } from '@mas/lms';
import { WorkflowModule } from '@mas/workflow';
import express from 'express';
import { CrmController } from './crm.controller.js';
import { MAX_IMPORT_BODY } from './imports/import-limits.js';
import { LeadImportService } from './imports/lead-import.service.js';
import { ActivitiesService } from './leads/activities.service.js';
import { ApplicationLeadScope } from './leads/application-lead-scope.js';
import { LeadsService } from './leads/leads.service.js';
import { LeadOnApplicationInsert } from './subscribers/lead-on-application-insert.subscriber.js';
import { TagsService } from './tags/tags.service.js';
import { CrmWorkflowActions } from './workflow/crm-workflow-actions.js';

/**
 * Leads, tags, activities and imports (Postgres schema mas_crm); registers crm.* workflow actions
 * and the sales rule of the LMS's ApplicationScope (an application is in scope when its lead is).
 */
@Module({
  imports: [LmsModule, WorkflowModule],
  controllers: [CrmController],
  providers: [
    LeadsService,
    ActivitiesService,
    TagsService,
    LeadImportService,
    LeadOnApplicationInsert,
    CrmWorkflowActions,
    ApplicationLeadScope,
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
