import { Inject, Injectable } from '@nestjs/common';
import { Seed, type Seeder } from '@mas/persistence';
import { EntityManager } from 'typeorm';
import { User } from '../entities/user.entity.js';
import { UserRole } from '../entities/user-role.enum.js';
import { IDENTITY_CONFIG, type IdentityConfig } from '../identity.config.js';
import { UsersService } from '../users/users.service.js';

/** Ensures the admin from ADMIN_EMAIL / ADMIN_PASSWORD exists; never changes an existing one. */
@Seed({ kind: 'ensure', order: 0 })
@Injectable()
export class AdminSeed implements Seeder {
  constructor(
    private readonly users: UsersService,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async run(tx: EntityManager): Promise<void> {
    const { email, password } = this.config.admin;
    if (await tx.existsBy(User, { email })) return;
    await this.users.create(
      { email, password, fullName: 'Administrator', role: UserRole.Admin },
      tx,
    );
  }
}
