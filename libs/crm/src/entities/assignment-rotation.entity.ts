import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * Where a round-robin assignment stands: the user who got the last item of `pool`. Its row lock
 * serializes concurrent assignments, so each gets the next user in turn.
 */
@Entity({ name: 'assignment_rotations', schema: 'mas_crm' })
export class AssignmentRotation {
  @PrimaryColumn({ type: 'varchar', length: 60 })
  pool: string;

  @Column({ type: 'uuid', nullable: true })
  lastUserId: string | null;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
