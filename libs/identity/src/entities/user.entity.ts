import { BaseEntity } from '@mas/persistence';
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { UserRole, UserStage } from './user-role.enum.js';

@Entity({ name: 'users' })
@Index(['createdAt', 'id'])
@Index(['role', 'createdAt', 'id'])
@Index(['salesHeadId'])
export class User extends BaseEntity {
  /** citext: unique regardless of case. */
  @Column({ type: 'citext', unique: true })
  email: string;

  /** scrypt hash (or a bcrypt one imported from the old backend until its first login); never selected unless asked for, never serialized. */
  @Column({ type: 'varchar', length: 255, select: false })
  passwordHash: string;

  @Column({ type: 'varchar', length: 150 })
  fullName: string;

  @Column({ type: 'enum', enum: UserRole, enumName: 'user_role', default: UserRole.Student })
  role: UserRole;

  @Column({ type: 'enum', enum: UserStage, enumName: 'user_stage', default: UserStage.Registered })
  stage: UserStage;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @Column({ type: 'uuid', nullable: true })
  salesHeadId: string | null;

  /** Carried in access tokens as `ver`; bumping it revokes every token issued before. */
  @Column({ type: 'int', default: 0 })
  tokenVersion: number;

  @ManyToOne(() => User, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'sales_head_id' })
  salesHead?: Relation<User> | null;
}
