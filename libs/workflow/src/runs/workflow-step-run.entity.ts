import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { StepRunStatus } from './run-status.js';
import { WorkflowRun } from './workflow-run.entity.js';

/**
 * One execution of a step: written in the transaction that applies the step's effect, and unique
 * per run + step position + attempt, so an effect can never be recorded (or applied) twice.
 */
@Entity({ name: 'workflow_step_runs' })
@Index(['runId', 'stepNo', 'attempt'], { unique: true })
export class WorkflowStepRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  runId: string;

  @ManyToOne(() => WorkflowRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id' })
  run?: Relation<WorkflowRun>;

  @Column({ type: 'integer' })
  stepNo: number;

  @Column({ type: 'varchar', length: 100 })
  stepKey: string;

  @Column({ type: 'varchar', length: 30 })
  stepType: string;

  @Column({ type: 'integer' })
  attempt: number;

  @Column({ type: 'enum', enum: StepRunStatus, enumName: 'workflow_step_status' })
  status: StepRunStatus;

  @Column({ type: 'jsonb', nullable: true })
  output: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'timestamptz', precision: 3 })
  startedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  finishedAt: Date | null;
}
