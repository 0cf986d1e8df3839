export * from './entities/lead-status.enum.js';
export * from './entities/lead.entity.js';
export * from './entities/lead-tag.entity.js';
export * from './entities/lead-activity.entity.js';
export * from './leads/leads.service.js';
export * from './leads/lead-visibility.js';
export * from './leads/lead-of-application.js';
export * from './leads/application-lead-scope.js';
export * from './crm.module.js';
export * from './imports/index.js';
export * from './workflow/crm-workflow-actions.js';

import { AssignmentRotation } from './entities/assignment-rotation.entity.js';
import { LeadActivity } from './entities/lead-activity.entity.js';
import { LeadTag } from './entities/lead-tag.entity.js';
import { Lead } from './entities/lead.entity.js';

/** Entities this lib owns, for the composition root's DataSource. */
export const CRM_ENTITIES = [Lead, LeadTag, LeadActivity, AssignmentRotation];
