import { type EntityManager } from 'typeorm';

export interface SalesUser {
  id: string;
  fullName: string;
  email: string;
}

/**
 * The next active sales user after the one who got the previous assignment (by id, wrapping
 * around), or null when there is none. Locks the rotation row until the transaction ends.
 */
export async function nextSalesUser(tx: EntityManager): Promise<SalesUser | null> {
  await tx.query(
    `INSERT INTO mas_crm.assignment_rotations (pool) VALUES ('sales') ON CONFLICT DO NOTHING`,
  );
  const [{ last_user_id: last }] = await tx.query<{ last_user_id: string | null }[]>(
    `SELECT last_user_id FROM mas_crm.assignment_rotations WHERE pool = 'sales' FOR UPDATE`,
  );
  const [next] = await tx.query<SalesUser[]>(
    `SELECT id, full_name AS "fullName", email FROM users
      WHERE role = 'sales' AND is_active
      ORDER BY id <= coalesce($1::uuid, '00000000-0000-0000-0000-000000000000'), id
      LIMIT 1`,
    [last],
  );
  if (next) {
    await tx.query(
      `UPDATE mas_crm.assignment_rotations SET last_user_id = $1, updated_at = now() WHERE pool = 'sales'`,
      [next.id],
    );
  }
  return next ?? null;
}
