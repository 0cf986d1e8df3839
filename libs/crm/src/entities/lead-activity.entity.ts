import { User } from '@mas/identity';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { Lead } from './lead.entity.js';

export enum LeadActivityType {
  Note = 'note',
  Call = 'call',
  Email = 'email',
  Meeting = 'meeting',
  StatusChange = 'status_change',
}

/** What happened with a lead, newest first. */
@Entity({ name: 'lead_activities', schema: 'mas_crm' })
@Index(['leadId', 'createdAt', 'id'])
export class LeadActivity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  leadId: string;

  @ManyToOne(() => Lead, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'lead_id' })
  lead?: Relation<Lead>;

  @Column({ type: 'enum', enum: LeadActivityType, enumName: 'lead_activity_type' })
  type: LeadActivityType;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'uuid', nullable: true })
  authorId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'author_id' })
  author?: Relation<User> | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
