import { rowsById } from '@mas/persistence';
import { type EntityManager } from 'typeorm';
import { User } from '../entities/user.entity.js';
import { type UserRole, type UserStage } from '../entities/user-role.enum.js';

interface UserRow {
  id: string;
  email: string;
  full_name: string;
  role: UserRole;
  stage: UserStage;
  is_active: boolean;
  sales_head_id: string | null;
  token_version: number;
  created_at: Date;
  updated_at: Date;
}

/**
 * The users as committed now, in the order of `ids` (null for none, or for an id that is not a
 * UUID), without their password hashes: what `findOneBy(User, { id })` gives, in one plain
 * statement for any number of ids.
 */
export async function readUsers(manager: EntityManager, ids: string[]): Promise<(User | null)[]> {
  const rows = await rowsById(ids, (uuids) =>
    manager.query<UserRow[]>(
      `SELECT id, email, full_name, role, stage, is_active, sales_head_id, token_version,
              created_at, updated_at
         FROM users WHERE id = ANY($1::uuid[])`,
      [uuids],
    ),
  );
  return rows.map((row) =>
    row
      ? manager.create(User, {
          id: row.id,
          email: row.email,
          fullName: row.full_name,
          role: row.role,
          stage: row.stage,
          isActive: row.is_active,
          salesHeadId: row.sales_head_id,
          tokenVersion: row.token_version,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
        })
      : null,
  );
}
