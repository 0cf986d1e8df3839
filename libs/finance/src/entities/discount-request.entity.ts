import { Column, Entity, Index } from 'typeorm';
import { ReviewedRequest } from './reviewed-request.entity.js';

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
export class DiscountRequest extends ReviewedRequest {
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
}
