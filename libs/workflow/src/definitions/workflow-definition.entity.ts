import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { WorkflowConfig, WorkflowTrigger } from './definition-config.js';

/**
 * One version of a workflow. Versions are immutable: saving a definition under an existing key adds
 * the next version, and runs keep the version they started on.
 */
@Entity({ name: 'workflow_definitions' })
@Index(['key', 'version'], { unique: true })
@Index('idx_workflow_definitions_trigger_event', { synchronize: false })
export class WorkflowDefinition {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100 })
  key: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'jsonb' })
  config: WorkflowConfig;

  /** An event finds its definitions by `idx_workflow_definitions_trigger_event` on `trigger->>'event'`. */
  @Column({ type: 'jsonb', nullable: true })
  trigger: WorkflowTrigger | null;

  /** The user who saved this version; null for seeded defaults. */
  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
