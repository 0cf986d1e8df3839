export * from './entities/application-status.enum.js';
export * from './entities/college.entity.js';
export * from './entities/course.entity.js';
export * from './entities/batch.entity.js';
export * from './entities/application.entity.js';
export * from './entities/pap-workflow.entity.js';
export * from './applications/applications.service.js';
export * from './applications/application-scope.js';
export * from './colleges/catalog.service.js';
export * from './lms.module.js';

import { Application } from './entities/application.entity.js';
import { Batch } from './entities/batch.entity.js';
import { College } from './entities/college.entity.js';
import { Course } from './entities/course.entity.js';
import { PapWorkflow } from './entities/pap-workflow.entity.js';

/** Entities this lib owns, for the composition root's DataSource. */
export const LMS_ENTITIES = [College, Course, Batch, Application, PapWorkflow];
export * from './workflow/lms-workflow-actions.js';
