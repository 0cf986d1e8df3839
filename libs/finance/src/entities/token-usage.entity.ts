import { User } from '@mas/identity';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';

export enum TokenUsageType {
  Allotment = 'allotment',
  MeetingBooking = 'meeting_booking',
  Refund = 'refund',
  Penalty = 'penalty',
  Earning = 'earning',
  Adjustment = 'adjustment',
}

/**
 * The token ledger: one row per balance change, append-only (a trigger refuses UPDATE, DELETE and
 * TRUNCATE). `entryNo` orders a user's rows exactly, even within one transaction.
 */
@Entity({ name: 'token_usages' })
@Check('chk_token_usages_balance_after', '"balance_after" = "balance_before" + "delta"')
@Check('chk_token_usages_delta_not_zero', '"delta" <> 0')
@Index(['userId', 'createdAt', 'id'])
@Index(['slotId'])
export class TokenUsage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'bigint', unique: true })
  @Generated('increment')
  entryNo: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'enum', enum: TokenUsageType, enumName: 'token_usage_type' })
  usageType: TokenUsageType;

  @Column({ type: 'integer' })
  delta: number;

  @Column({ type: 'integer' })
  balanceBefore: number;

  @Column({ type: 'integer' })
  balanceAfter: number;

  /** The slot a booking, refund or earning belongs to. No FK: the ledger outlives slots. */
  @Column({ type: 'uuid', nullable: true })
  slotId: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
