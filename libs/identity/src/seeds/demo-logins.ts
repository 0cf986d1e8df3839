import { type EntityManager } from 'typeorm';
import { type UserRole } from '../entities/user-role.enum.js';
import { verifyPassword } from '../passwords/password-hasher.js';
import { DEMO_PASSWORD, DEMO_USERS } from './demo-users.seed.js';

export interface DemoLogin {
  email: string;
  role: UserRole;
  /** The demo password, or null when it no longer logs this account in (changed since). */
  password: string | null;
  active: boolean;
}

/** The demo accounts that exist, in the seed's order, with what logs each one in. */
export async function demoLogins(manager: EntityManager): Promise<DemoLogin[]> {
  const rows = await manager.query<
    { email: string; role: UserRole; active: boolean; passwordHash: string }[]
  >(
    `SELECT email, role, is_active AS active, password_hash AS "passwordHash"
       FROM users WHERE email = ANY($1::citext[])`,
    [DEMO_USERS.map((demo) => demo.email)],
  );
  const byEmail = new Map(rows.map((row) => [row.email.toLowerCase(), row]));
  const logins: DemoLogin[] = [];
  for (const { email } of DEMO_USERS) {
    const row = byEmail.get(email);
    if (!row) continue;
    const unchanged = await verifyPassword(DEMO_PASSWORD, row.passwordHash);
    logins.push({
      email,
      role: row.role,
      password: unchanged ? DEMO_PASSWORD : null,
      active: row.active,
    });
  }
  return logins;
}
