import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum OutboxStatus {
  Pending = 'pending',
  /**
   * Done: delivered by the relay (realtime, event) or, for the email and job channels, recorded as
   * done by the consumer that ran the job.
   */
  Dispatched = 'dispatched',
  Failed = 'failed',
  /**
   * Email and job channels: the job was added to Redis but its consumer has not recorded it yet.
   * Redis may still lose it, so the reconciler returns rows that stay here too long to pending.
   */
  HandedOff = 'handed_off',
}

/** Where a message goes once its transaction has committed. */
export enum OutboxChannel {
  /** A Socket.IO event to `audience` rooms. */
  Realtime = 'realtime',
  /** An email, sent by the email worker. */
  Email = 'email',
  /** A BullMQ job (`topic` is the queue name). */
  Job = 'job',
  /** A domain event (`application.created`) for in-process subscribers such as workflow triggers. */
  Event = 'event',
}

/**
 * A side effect recorded in the same transaction as the change that causes it, dispatched by the
 * relay only after commit: a rolled-back change leaves no row, so nothing is ever sent for it.
 */
@Entity({ name: 'outbox_messages' })
@Index('idx_outbox_messages_due', ['nextAttemptAt'], { where: `"status" = 'pending'` })
@Index('idx_outbox_messages_dispatched_at', ['dispatchedAt'], { where: `"status" = 'dispatched'` })
@Index('idx_outbox_messages_handed_off_at', ['handedOffAt'], { where: `"status" = 'handed_off'` })
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'enum', enum: OutboxChannel, enumName: 'outbox_channel' })
  channel: OutboxChannel;

  /** The event type (`slot.booked`), email template or queue name. */
  @Column({ type: 'varchar', length: 100 })
  topic: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  /** Realtime rooms (`user:<id>`, `role:admin`); empty for other channels. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  audience: string[];

  @Column({
    type: 'enum',
    enum: OutboxStatus,
    enumName: 'outbox_status',
    default: OutboxStatus.Pending,
  })
  status: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  nextAttemptAt: Date;

  /** Job channel: the job runs no earlier than this (a BullMQ delayed job); null runs it at once. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  runAt: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  /** When the row became done (delivered, or recorded by its consumer). */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  dispatchedAt: Date | null;

  /** Email and job channels: when the job was (last) added to Redis. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  handedOffAt: Date | null;
}
