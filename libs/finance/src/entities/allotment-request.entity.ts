import { BaseEntity } from '@mas/persistence';
import { User } from '@mas/identity';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';

export enum AllotmentStatus {
  Pending = 'pending',
  Approved = 'approved',
  Rejected = 'rejected',
}

/** A request to credit tokens to a user: pending → approved (credited once) or rejected. */
@Entity({ name: 'token_allotment_requests' })
@Check('chk_token_allotment_requests_tokens_positive', '"tokens" > 0')
@Index(['status', 'createdAt', 'id'])
@Index(['userId'])
export class AllotmentRequest extends BaseEntity {
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'integer' })
  tokens: number;

  @Column({ type: 'text' })
  reason: string;

  @Column({
    type: 'enum',
    enum: AllotmentStatus,
    enumName: 'allotment_status',
    default: AllotmentStatus.Pending,
  })
  status: AllotmentStatus;

  @Column({ type: 'uuid' })
  requestedById: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'requested_by_id' })
  requestedBy?: Relation<User>;

  @Column({ type: 'uuid', nullable: true })
  decidedById: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'decided_by_id' })
  decidedBy?: Relation<User> | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  decisionNote: string | null;
}
