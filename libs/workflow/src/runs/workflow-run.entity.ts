import { BaseEntity } from '@mas/persistence';
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { WorkflowDefinition } from '../definitions/workflow-definition.entity.js';
import { RunStatus } from './run-status.js';

/**
 * A run of one definition version about one subject (`application` + id). All of its state is here:
 * the queue only carries "advance run X", so any worker can pick a run up where it stopped.
 */
@Entity({ name: 'workflow_runs' })
@Index(['subjectId', 'createdAt'])
@Index(['definitionKey', 'createdAt', 'id'])
@Index(['createdAt', 'id'])
@Index(['status', 'createdAt', 'id'])
@Index('uq_workflow_runs_trigger', ['definitionId', 'triggerMessageId'], {
  unique: true,
  where: '"trigger_message_id" IS NOT NULL',
})
@Index('idx_workflow_runs_due', ['dueAt'], {
  where: `"status" IN ('pending', 'running', 'waiting') AND "due_at" IS NOT NULL`,
})
export class WorkflowRun extends BaseEntity {
  @Column({ type: 'uuid' })
  definitionId: string;

  @ManyToOne(() => WorkflowDefinition, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'definition_id' })
  definition?: Relation<WorkflowDefinition>;

  /** The definition's key and version, copied at start: versions never change, and runs are listed by key. */
  @Column({ type: 'varchar', length: 100 })
  definitionKey: string;

  @Column({ type: 'integer' })
  definitionVersion: number;

  @Column({
    type: 'enum',
    enum: RunStatus,
    enumName: 'workflow_run_status',
    default: RunStatus.Pending,
  })
  status: RunStatus;

  @Column({ type: 'varchar', length: 60 })
  subjectType: string;

  @Column({ type: 'varchar', length: 100 })
  subjectId: string;

  /** The step to execute next, or the step the run waits on; null once finished. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  currentStep: string | null;

  /** Position of the current step in the run's path (a step visited twice has two numbers). */
  @Column({ type: 'integer', default: 1 })
  stepNo: number;

  /** Attempt of the current step. */
  @Column({ type: 'integer', default: 1 })
  attempt: number;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  context: Record<string, unknown>;

  /** When a job should next advance the run; null while it waits for a signal only, or is done. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  dueAt: Date | null;

  /** Why the run failed. */
  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** The outbox message (domain event) that started the run, so a redelivery starts none. */
  @Column({ type: 'uuid', nullable: true })
  triggerMessageId: string | null;

  @Column({ type: 'uuid', nullable: true })
  startedBy: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  finishedAt: Date | null;
}
