import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One computed set of business aggregates (schema superadmin). */
@Entity({ name: 'kpi_snapshots', schema: 'superadmin' })
@Index(['computedAt'])
export class KpiSnapshot {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  computedAt: Date;

  @Column({ type: 'jsonb' })
  metrics: Record<string, unknown>;
}
