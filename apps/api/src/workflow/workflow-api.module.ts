import { Module } from '@nestjs/common';
import { WorkflowModule } from '@mas/workflow';
import { WorkflowController } from './workflow.controller.js';

/** The workflow HTTP API; the engine's worker is the `workflow` queue's handler in JobsModule. */
@Module({
  imports: [WorkflowModule],
  controllers: [WorkflowController],
})
export class WorkflowApiModule {}
