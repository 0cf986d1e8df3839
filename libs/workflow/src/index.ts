export * from './actions/workflow-actions.js';
export * from './definitions/definition-config.js';
export * from './definitions/validate-definition.js';
export * from './definitions/workflow-definition.entity.js';
export * from './definitions/definitions.service.js';
export * from './runs/run-status.js';
export * from './runs/run-outbox.js';
export * from './runs/workflow-run.entity.js';
export * from './runs/workflow-step-run.entity.js';
export * from './runs/runs.service.js';
export * from './runs/workflow-engine.js';
export * from './dto/workflow.dto.js';
export * from './triggers/workflow-triggers.js';
export * from './workflow.module.js';

import { WorkflowDefinition } from './definitions/workflow-definition.entity.js';
import { WorkflowRun } from './runs/workflow-run.entity.js';
import { WorkflowStepRun } from './runs/workflow-step-run.entity.js';

/** Entities this lib owns, for the composition root's DataSource. */
export const WORKFLOW_ENTITIES = [WorkflowDefinition, WorkflowRun, WorkflowStepRun];
