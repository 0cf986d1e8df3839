import { BaseEntity } from '@mas/persistence';
import { User } from '@mas/identity';
import { Column, JoinColumn, ManyToOne, type Relation } from 'typeorm';

/** Who asked, and who decided when and why: shared by the requests an admin approves or rejects. */
export abstract class ReviewedRequest extends BaseEntity {
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
