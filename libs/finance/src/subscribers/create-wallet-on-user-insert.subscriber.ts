import { Injectable } from '@nestjs/common';
import { User } from '@mas/identity';
import { DataSource, type EntitySubscriberInterface, type InsertEvent } from 'typeorm';

/**
 * Every new user gets a zero-balance wallet in the same transaction as the user row
 * (`event.manager`); `ON CONFLICT DO NOTHING` keeps it idempotent.
 */
@Injectable()
export class CreateWalletOnUserInsert implements EntitySubscriberInterface<User> {
  constructor(dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  listenTo() {
    return User;
  }

  async afterInsert(event: InsertEvent<User>): Promise<void> {
    await event.manager.query(
      'INSERT INTO token_wallets (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING',
      [event.entity.id],
    );
  }
}
