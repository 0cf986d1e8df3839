import { BaseEntity } from '@mas/persistence';
import { User } from '@mas/identity';
import { Column, Entity, Index, JoinColumn, OneToOne, type Relation } from 'typeorm';

/** The public profile of an expert (one per expert user); `q` searches `lower(headline)` by prefix. */
@Entity({ name: 'mentor_profiles' })
@Index(['createdAt', 'id'])
@Index('idx_mentor_profiles_headline_lower_prefix', { synchronize: false })
export class MentorProfile extends BaseEntity {
  /** Unique through the one-to-one relation below. */
  @Column({ type: 'uuid' })
  userId: string;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 200 })
  headline: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  expertise: string[];

  @Column({ type: 'text', nullable: true })
  bio: string | null;
}
