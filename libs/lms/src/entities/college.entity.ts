import { BaseEntity } from '@mas/persistence';
import { Column, Entity, Index } from 'typeorm';

/**
 * Colleges students come from (ensure-seeded from fixtures/colleges.json). Name search uses the
 * expression index `lower(name) text_pattern_ops`, created by the migration.
 */
@Entity({ name: 'colleges' })
@Index('idx_colleges_name_lower_prefix', { synchronize: false })
@Index(['name', 'city'], { unique: true })
export class College extends BaseEntity {
  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'varchar', length: 100 })
  city: string;

  @Column({ type: 'varchar', length: 100 })
  state: string;
}
