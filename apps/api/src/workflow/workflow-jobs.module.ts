import { Module } from '@nestjs/common';
import { WorkflowModule } from '@mas/workflow';
import { WorkflowJobHandler } from './workflow-job.handler.js';

/** The engine's worker: the `workflow` queue's job handler. */
@Module({
  imports: [WorkflowModule],
  providers: [WorkflowJobHandler],
})
export class WorkflowJobsModule {}
