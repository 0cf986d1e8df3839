import { Module, type OnModuleInit } from '@nestjs/common';
import { contextSetAction } from './actions/context-set.action.js';
import { WorkflowActions } from './actions/workflow-actions.js';
import { DefaultDefinitionsSeed } from './definitions/defaults/default-definitions.seed.js';
import { DefinitionsService } from './definitions/definitions.service.js';
import { RunsService } from './runs/runs.service.js';
import { WorkflowEngine } from './runs/workflow-engine.js';
import { WorkflowTriggers } from './triggers/workflow-triggers.js';

/**
 * Versioned workflow definitions and their durable runs. Other libs import this module to register
 * actions in WorkflowActions; the app exposes the HTTP API and runs the queue worker that calls
 * WorkflowEngine.advance.
 */
@Module({
  providers: [
    WorkflowActions,
    DefinitionsService,
    RunsService,
    WorkflowEngine,
    WorkflowTriggers,
    DefaultDefinitionsSeed,
  ],
  exports: [WorkflowActions, DefinitionsService, RunsService, WorkflowEngine],
})
export class WorkflowModule implements OnModuleInit {
  constructor(private readonly actions: WorkflowActions) {}

  onModuleInit(): void {
    this.actions.register('context.set', contextSetAction);
  }
}
