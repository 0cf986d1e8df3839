import { BaseEntity } from '@mas/persistence';
import { User } from '@mas/identity';
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { ApplicationStatus } from './application-status.enum.js';
import { Batch } from './batch.entity.js';
import { College } from './college.entity.js';

/** A student's application to a batch: one per student and batch. */
@Entity({ name: 'applications' })
@Index(['userId', 'batchId'], { unique: true })
@Index(['status', 'createdAt', 'id'])
@Index(['batchId', 'createdAt', 'id'])
@Index(['createdAt', 'id'])
export class Application extends BaseEntity {
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'uuid' })
  batchId: string;

  @ManyToOne(() => Batch, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'batch_id' })
  batch?: Relation<Batch>;

  @Column({ type: 'uuid', nullable: true })
  collegeId: string | null;

  @ManyToOne(() => College, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'college_id' })
  college?: Relation<College> | null;

  @Column({
    type: 'enum',
    enum: ApplicationStatus,
    enumName: 'application_status',
    default: ApplicationStatus.Submitted,
  })
  status: ApplicationStatus;

  /** The batch price at application time, or the approved discounted price. */
  @Column({ type: 'numeric', precision: 12, scale: 2 })
  finalAmount: string;

  @Column({ type: 'jsonb', nullable: true })
  extraData: Record<string, unknown> | null;
}
