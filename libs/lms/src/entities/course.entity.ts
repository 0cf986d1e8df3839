import { BaseEntity } from '@mas/persistence';
import { Check, Column, Entity, Index } from 'typeorm';

@Entity({ name: 'courses' })
@Check('chk_courses_price_not_negative', '"price" >= 0')
@Index(['createdAt', 'id'])
export class Course extends BaseEntity {
  @Column({ type: 'varchar', length: 30, unique: true })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** numeric(12,2), kept as a decimal string. */
  @Column({ type: 'numeric', precision: 12, scale: 2 })
  price: string;
}
