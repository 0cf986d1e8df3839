import { User } from '@mas/identity';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { SyncStateColumns } from './sync-state-columns.js';

/** A Mr. Test assessment, keyed by the platform's id. */
@Entity({ name: 'assessments', schema: 'mrtest' })
export class MrTestAssessment {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'numeric', precision: 12, scale: 2 })
  maxScore: string;

  @Column({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  syncedAt: Date;
}

/** A learner's attempt at an assessment; `userId` is the local user with `learnerEmail`. */
@Entity({ name: 'attempts', schema: 'mrtest' })
@Index(['assessmentId'])
@Index(['learnerEmail'])
@Index(['userId'])
export class MrTestAttempt {
  @PrimaryColumn({ type: 'text' })
  id: string;

  /** The platform's assessment id; no foreign key: the platform may send it first. */
  @Column({ type: 'text' })
  assessmentId: string;

  @Column({ type: 'citext' })
  learnerEmail: string;

  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User> | null;

  @Column({ type: 'numeric', precision: 12, scale: 2 })
  score: string;

  @Column({ type: 'timestamptz', precision: 3 })
  submittedAt: Date;

  @Column({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  syncedAt: Date;
}

@Entity({ name: 'sync_state', schema: 'mrtest' })
export class MrTestSyncState extends SyncStateColumns {}
