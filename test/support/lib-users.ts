import { type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import {
  IdentityModule,
  loadIdentityConfig,
  type User,
  type UserRole,
  UsersService,
} from '@mas/identity';

/**
 * Identity for lib specs: no Redis (abuse limits count in memory, and specs never log in), and the
 * cheapest scrypt cost the config allows, since each spec creates several users.
 */
export function identityForLibSpecs(): DynamicModule {
  return IdentityModule.forRoot(loadIdentityConfig({ PASSWORD_SCRYPT_LOG_N: '10' }));
}

let counter = 0;

/**
 * A user with `role`, through UsersService (the path the admin API takes, minus HTTP): its wallet
 * comes from finance's insert subscriber when FinanceModule is loaded.
 */
export async function createLibUser(
  context: INestApplicationContext,
  role: UserRole,
): Promise<User> {
  counter += 1;
  return context.get(UsersService).create({
    email: `${role}-${process.pid}-${counter}@lib-spec.local`,
    password: `pw-${role}-${counter}-secret`,
    fullName: `Lib spec ${role} ${counter}`,
    role,
  });
}
