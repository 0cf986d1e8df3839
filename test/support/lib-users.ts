import { type INestApplicationContext } from '@nestjs/common';
import {
  IdentityModule,
  loadIdentityConfig,
  type User,
  type UserRole,
  UsersService,
} from '@mas/identity';

/**
 * IdentityModule as a lib spec imports it: no Redis (abuse limits count in memory, and specs never
 * log in), and the cheapest password hash the config allows, since each spec creates several users.
 */
export function libIdentityModule() {
  return IdentityModule.forRoot(loadIdentityConfig({ PASSWORD_SCRYPT_LOG_N: '10' }));
}

let counter = 0;

/** A user created through UsersService (its insert subscribers, e.g. the wallet, run too). */
export function createLibUser(
  context: INestApplicationContext,
  role: UserRole,
  salesHeadId?: string,
): Promise<User> {
  const n = ++counter;
  return context.get(UsersService).create({
    email: `${role}-${process.pid}-${n}@lib.test`,
    password: 'lib-spec-password',
    fullName: `Test ${role} ${n}`,
    role,
    salesHeadId,
  });
}
