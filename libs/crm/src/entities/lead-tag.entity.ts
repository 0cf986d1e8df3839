import { BaseEntity } from '@mas/persistence';
import { Column, Entity } from 'typeorm';

@Entity({ name: 'lead_tags', schema: 'mas_crm' })
export class LeadTag extends BaseEntity {
  @Column({ type: 'citext', unique: true })
  name: string;
}
