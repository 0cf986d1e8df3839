import { BaseEntity } from '@mas/persistence';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Course } from './course.entity.js';

@Entity({ name: 'batches' })
@Check('chk_batches_capacity_positive', '"capacity" > 0')
@Check('chk_batches_price_not_negative', '"price" >= 0')
@Index(['courseId', 'startsOn'])
@Index(['createdAt', 'id'])
export class Batch extends BaseEntity {
  @Column({ type: 'uuid' })
  courseId: string;

  @ManyToOne(() => Course, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'course_id' })
  course?: Relation<Course>;

  @Column({ type: 'varchar', length: 150 })
  name: string;

  /** A calendar date (no time zone): `YYYY-MM-DD`. */
  @Column({ type: 'date' })
  startsOn: string;

  @Column({ type: 'integer' })
  capacity: number;

  @Column({ type: 'numeric', precision: 12, scale: 2 })
  price: string;
}
