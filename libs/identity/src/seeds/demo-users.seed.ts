import { Injectable } from '@nestjs/common';
import { Seed, type Seeder } from '@mas/persistence';
import { EntityManager } from 'typeorm';
import { User } from '../entities/user.entity.js';
import { UserRole } from '../entities/user-role.enum.js';
import { UsersService } from '../users/users.service.js';

export const DEMO_PASSWORD = 'demo-password';

/** One account per role but admin; the sales user is in the sales head's team. */
export const DEMO_USERS = [
  { email: 'sales-head@demo.local', fullName: 'Sana Head', role: UserRole.SalesHead },
  {
    email: 'sales@demo.local',
    fullName: 'Sam Seller',
    role: UserRole.Sales,
    team: 'sales-head@demo.local',
  },
  { email: 'expert@demo.local', fullName: 'Esha Expert', role: UserRole.Expert },
  { email: 'student@demo.local', fullName: 'Stu Dent', role: UserRole.Student },
];

/** One demo account per role (password `demo-password`); only on `npm run db:seed`. */
@Seed({ kind: 'demo', order: 0 })
@Injectable()
export class DemoUsersSeed implements Seeder {
  constructor(private readonly users: UsersService) {}

  async run(tx: EntityManager): Promise<void> {
    for (const { team, ...demo } of DEMO_USERS) {
      if (await tx.existsBy(User, { email: demo.email })) continue;
      const salesHead = team ? await tx.findOneBy(User, { email: team }) : null;
      await this.users.create(
        { ...demo, password: DEMO_PASSWORD, salesHeadId: salesHead?.id ?? null },
        tx,
      );
    }
  }
}
