import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto, Trim } from '@mas/http';
import {
  IsEnum,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import type { WorkflowConfig, WorkflowTrigger } from '../definitions/definition-config.js';
import { WorkflowDefinition } from '../definitions/workflow-definition.entity.js';
import { RunStatus, StepRunStatus } from '../runs/run-status.js';
import { type RunWithSteps } from '../runs/runs.service.js';
import { WorkflowRun } from '../runs/workflow-run.entity.js';
import { WorkflowStepRun } from '../runs/workflow-step-run.entity.js';
import { MaxJsonSize } from './max-json-size.js';

const KEY = /^[a-z][a-z0-9_.-]{0,99}$/;
const SUBJECT_TYPE = /^[a-z][a-z0-9_]{0,59}$/;
const KEY_MESSAGE = 'must be 1-100 lower-case letters, digits, _ . or -, from a letter';
const MAX_CONTEXT_BYTES = 16 * 1024;

export class CreateDefinitionDto {
  @ApiProperty({ example: 'application_review' })
  @Matches(KEY, { message: `key ${KEY_MESSAGE}` })
  key: string;

  @ApiProperty() @Trim() @IsString() @IsNotEmpty() @MaxLength(200) name: string;

  @ApiProperty({ description: '{ start, steps: { <key>: { type, ... } } }', type: Object })
  @IsObject()
  @MaxJsonSize(256 * 1024)
  config: Record<string, unknown>;

  @ApiPropertyOptional({ description: '{ event, when? }', type: Object })
  @IsOptional()
  @IsObject()
  trigger?: Record<string, unknown>;
}

export class ListDefinitionsQuery {
  @ApiPropertyOptional({ description: 'every version of this key (default: newest of each key)' })
  @IsOptional()
  @Matches(KEY, { message: `key ${KEY_MESSAGE}` })
  key?: string;
}

export class StartRunDto {
  @ApiProperty({ example: 'application_review' })
  @Matches(KEY, { message: `definitionKey ${KEY_MESSAGE}` })
  definitionKey: string;

  @ApiProperty({ example: 'application' })
  @Matches(SUBJECT_TYPE, { message: 'subjectType must be 1-60 lower-case letters, digits or _' })
  subjectType: string;

  @ApiProperty() @Trim() @IsString() @IsNotEmpty() @MaxLength(100) subjectId: string;

  @ApiPropertyOptional({ type: Object })
  @IsOptional()
  @IsObject()
  @MaxJsonSize(MAX_CONTEXT_BYTES)
  context?: Record<string, unknown>;
}

export class SignalRunDto {
  @ApiProperty({ example: 'reviewed' })
  @Matches(KEY, { message: `event ${KEY_MESSAGE}` })
  event: string;

  @ApiPropertyOptional({ type: Object, example: { decision: 'accepted' } })
  @IsOptional()
  @IsObject()
  @MaxJsonSize(MAX_CONTEXT_BYTES)
  payload?: Record<string, unknown>;
}

export class ListRunsQuery extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(KEY, { message: `definitionKey ${KEY_MESSAGE}` })
  definitionKey?: string;
  @ApiPropertyOptional({ enum: RunStatus }) @IsOptional() @IsEnum(RunStatus) status?: RunStatus;
  @ApiPropertyOptional() @IsOptional() @Matches(SUBJECT_TYPE) subjectType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) subjectId?: string;
}

export class DefinitionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() key: string;
  @ApiProperty() version: number;
  @ApiProperty() name: string;
  @ApiProperty({ type: Object }) config: WorkflowConfig;
  @ApiProperty({ type: Object, nullable: true }) trigger: WorkflowTrigger | null;
  @ApiProperty() createdAt: string;

  static of(definition: WorkflowDefinition): DefinitionResponse {
    const { id, key, version, name, config, trigger } = definition;
    return {
      id,
      key,
      version,
      name,
      config,
      trigger,
      createdAt: definition.createdAt.toISOString(),
    };
  }
}

export class StepRunResponse {
  @ApiProperty() stepNo: number;
  @ApiProperty() stepKey: string;
  @ApiProperty() stepType: string;
  @ApiProperty() attempt: number;
  @ApiProperty({ enum: StepRunStatus }) status: StepRunStatus;
  @ApiProperty({ type: Object, nullable: true }) output: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty() startedAt: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt: string | null;

  static of(step: WorkflowStepRun): StepRunResponse {
    const { stepNo, stepKey, stepType, attempt, status, output, error } = step;
    return {
      stepNo,
      stepKey,
      stepType,
      attempt,
      status,
      output,
      error,
      startedAt: step.startedAt.toISOString(),
      finishedAt: step.finishedAt?.toISOString() ?? null,
    };
  }
}

export class RunResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() definitionKey: string;
  @ApiProperty() definitionVersion: number;
  @ApiProperty({ enum: RunStatus }) status: RunStatus;
  @ApiProperty() subjectType: string;
  @ApiProperty() subjectId: string;
  @ApiProperty({ type: String, nullable: true }) currentStep: string | null;
  @ApiProperty() attempt: number;
  @ApiProperty({ type: Object }) context: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ type: String, nullable: true }) dueAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt: string | null;

  static of(run: WorkflowRun): RunResponse {
    return {
      id: run.id,
      definitionKey: run.definitionKey,
      definitionVersion: run.definitionVersion,
      status: run.status,
      subjectType: run.subjectType,
      subjectId: run.subjectId,
      currentStep: run.currentStep,
      attempt: run.attempt,
      context: run.context,
      error: run.error,
      dueAt: run.dueAt?.toISOString() ?? null,
      createdAt: run.createdAt.toISOString(),
      updatedAt: run.updatedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
    };
  }
}

export class RunWithStepsResponse extends RunResponse {
  @ApiProperty({ type: [StepRunResponse] }) steps: StepRunResponse[];

  static withSteps({ run, steps }: RunWithSteps): RunWithStepsResponse {
    return { ...RunResponse.of(run), steps: steps.map((step) => StepRunResponse.of(step)) };
  }
}
