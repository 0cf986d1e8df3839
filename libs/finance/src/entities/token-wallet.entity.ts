import { User } from '@mas/identity';
import {
  Check,
  Column,
  Entity,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  type Relation,
  UpdateDateColumn,
  CreateDateColumn,
} from 'typeorm';

/** One per user. The balance never goes below zero: the database refuses it. */
@Entity({ name: 'token_wallets' })
@Check('chk_token_wallets_balance_not_negative', '"balance" >= 0')
export class TokenWallet {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @OneToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'integer', default: 0 })
  balance: number;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
