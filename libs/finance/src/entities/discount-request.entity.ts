import { BaseEntity } from '@mas/persistence';
import { User } from '@mas/identity';
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';

export enum DiscountStatus {
  Pending = 'pending',
  Approved = 'approved',
  Rejected = 'rejected',
}

/**
 * A sales request to lower an application's price. At most one pending request per application
 * (partial unique index). `applicationId` has no foreign key here: finance may not depend on the
 * LMS; the LMS checks and locks the application through the DiscountTarget port.
 */
@Entity({ name: 'discount_requests' })
@Index('uq_discount_requests_one_pending', ['applicationId'], {
  unique: true,
  where: `"status" = 'pending'`,
})
@Index(['applicationId', 'createdAt'])
@Index(['status', 'createdAt', 'id'])
export class DiscountRequest extends BaseEntity {
  @Column({ type: 'uuid' })
  applicationId: string;

  @Column({ type: 'numeric', precision: 12, scale: 2 })
  requestedPrice: string;

  @Column({ type: 'numeric', precision: 12, scale: 2, nullable: true })
  approvedPrice: string | null;

  @Column({
    type: 'enum',
    enum: DiscountStatus,
    enumName: 'discount_status',
    default: DiscountStatus.Pending,
  })
  status: DiscountStatus;

  @Column({ type: 'text', nullable: true })
  note: string | null;

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
