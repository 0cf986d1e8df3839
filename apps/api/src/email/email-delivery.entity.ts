import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export enum EmailDeliveryStatus {
  Sent = 'sent',
  Failed = 'failed',
}

/**
 * One row per outbox email, keyed by the outbox message id: a retried job finds the row and does
 * not send again.
 */
@Entity({ name: 'email_deliveries' })
export class EmailDelivery {
  @PrimaryColumn({ type: 'uuid' })
  outboxMessageId: string;

  @Column({ type: 'varchar', length: 100 })
  template: string;

  @Column({ type: 'varchar', length: 320 })
  recipient: string;

  @Column({ type: 'enum', enum: EmailDeliveryStatus, enumName: 'email_delivery_status' })
  status: EmailDeliveryStatus;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
