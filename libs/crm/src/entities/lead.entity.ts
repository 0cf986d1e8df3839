import { BaseEntity } from '@mas/persistence';
import { User } from '@mas/identity';
import { Application } from '@mas/lms';
import {
  Column,
  Entity,
  Index,
  JoinColumn,
  JoinTable,
  ManyToMany,
  ManyToOne,
  type Relation,
} from 'typeorm';
import { LeadStatus } from './lead-status.enum.js';
import { LeadTag } from './lead-tag.entity.js';

/**
 * A sales lead (schema mas_crm). Indexes follow the list filters: owner + status, active leads,
 * created_at for keyset order, source, and a trigram index over name + email for `q`
 * (`idx_leads_search_trgm`, an expression index created by the migration).
 */
@Entity({ name: 'leads', schema: 'mas_crm' })
@Index(['source', 'email'], { unique: true })
@Index('uq_leads_one_per_user', ['userId'], { unique: true, where: '"user_id" IS NOT NULL' })
@Index(['ownerId', 'status', 'createdAt', 'id'])
@Index('idx_leads_active_created_at', ['createdAt', 'id'], { where: `"status" = 'active'` })
@Index(['createdAt', 'id'])
@Index(['status', 'createdAt', 'id'])
@Index(['applicationId'])
@Index('idx_leads_search_trgm', { synchronize: false })
export class Lead extends BaseEntity {
  @Column({ type: 'varchar', length: 200 })
  fullName: string;

  @Column({ type: 'citext', nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', length: 60 })
  source: string;

  @Column({ type: 'enum', enum: LeadStatus, enumName: 'lead_status', default: LeadStatus.Active })
  status: LeadStatus;

  @Column({ type: 'varchar', length: 40, nullable: true })
  platform: string | null;

  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User> | null;

  @Column({ type: 'uuid', nullable: true })
  applicationId: string | null;

  @ManyToOne(() => Application, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'application_id' })
  application?: Relation<Application> | null;

  @Column({ type: 'uuid', nullable: true })
  ownerId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'owner_id' })
  owner?: Relation<User> | null;

  @ManyToMany(() => LeadTag)
  @JoinTable({
    name: 'lead_tag_links',
    schema: 'mas_crm',
    joinColumn: { name: 'lead_id', referencedColumnName: 'id' },
    inverseJoinColumn: { name: 'tag_id', referencedColumnName: 'id' },
  })
  tags?: LeadTag[];
}
