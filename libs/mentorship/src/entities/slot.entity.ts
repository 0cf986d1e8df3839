import { BaseEntity } from '@mas/persistence';
import { User } from '@mas/identity';
import {
  Check,
  Column,
  Entity,
  Exclusion,
  Index,
  JoinColumn,
  ManyToOne,
  type Relation,
} from 'typeorm';
import { MeetingStatus } from './meeting-status.enum.js';

/**
 * A mentor's bookable time. The database guarantees the shape of the schedule: a slot ends after it
 * starts, and no two slots of one mentor overlap unless one of them is cancelled.
 */
@Entity({ name: 'slots' })
@Check('chk_slots_starts_before_ends', '"starts_at" < "ends_at"')
@Check('chk_slots_price_positive', '"price_tokens" > 0')
@Exclusion(
  'excl_slots_mentor_no_overlap',
  `USING gist ("mentor_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE ("status" <> 'cancelled')`,
)
@Index(['mentorId', 'startsAt', 'id'])
@Index(['studentId', 'startsAt', 'id'])
@Index(['status', 'startsAt', 'id'])
export class Slot extends BaseEntity {
  @Column({ type: 'uuid' })
  mentorId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'mentor_id' })
  mentor?: Relation<User>;

  @Column({ type: 'uuid', nullable: true })
  studentId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'student_id' })
  student?: Relation<User> | null;

  @Column({ type: 'timestamptz', precision: 3 })
  startsAt: Date;

  @Column({ type: 'timestamptz', precision: 3 })
  endsAt: Date;

  @Column({
    type: 'enum',
    enum: MeetingStatus,
    enumName: 'meeting_status',
    default: MeetingStatus.Tentative,
  })
  status: MeetingStatus;

  @Column({ type: 'integer' })
  priceTokens: number;

  /** Set once the mentor's earning row is written; completing twice cannot pay twice. */
  @Column({ type: 'boolean', default: false })
  earningsCredited: boolean;

  /** Who asked to cancel: the other party (or an admin) approves. */
  @Column({ type: 'uuid', nullable: true })
  cancellationRequestedById: string | null;
}
