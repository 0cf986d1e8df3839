import { User } from '@mas/identity';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { ReviewedRequest } from './reviewed-request.entity.js';

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
export class AllotmentRequest extends ReviewedRequest {
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
}
