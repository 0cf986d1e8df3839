import { User } from '@mas/identity';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { SyncStateColumns } from './sync-state-columns.js';

/** A Mr. Learn learner, keyed by the platform's id; `userId` is the local user with that email. */
@Entity({ name: 'learners', schema: 'mrlearn' })
@Index(['email'])
@Index(['userId'])
export class MrLearnLearner {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'citext' })
  email: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User> | null;

  /** The platform's `updated_at`: an older version never overwrites a newer one. */
  @Column({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  syncedAt: Date;
}

/** A learner's enrollment in a course on Mr. Learn; deleted there, deleted here. */
@Entity({ name: 'enrollments', schema: 'mrlearn' })
@Index(['learnerId'])
@Check('chk_enrollments_progress_range', '"progress" BETWEEN 0 AND 100')
export class MrLearnEnrollment {
  @PrimaryColumn({ type: 'text' })
  id: string;

  /** The platform's learner id; no foreign key: the platform may send it before its learner. */
  @Column({ type: 'text' })
  learnerId: string;

  @Column({ type: 'text' })
  courseCode: string;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'smallint' })
  progress: number;

  @Column({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  syncedAt: Date;
}

@Entity({ name: 'sync_state', schema: 'mrlearn' })
export class MrLearnSyncState extends SyncStateColumns {}
