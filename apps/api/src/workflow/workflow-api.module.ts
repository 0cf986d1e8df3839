import { Module } from '@nestjs/common';
import { LmsModule } from '@mas/lms';
import { WorkflowModule } from '@mas/workflow';
import { RunScopes } from './run-scopes.js';
import { WorkflowController } from './workflow.controller.js';

/** The workflow HTTP API; the engine's worker is in WorkflowJobsModule. */
@Module({
  imports: [WorkflowModule, LmsModule],
  controllers: [WorkflowController],
  providers: [RunScopes],
})
export class WorkflowApiModule {}
