import { type EntityManager } from 'typeorm';
import { type ImportLeadRow } from './import-lead-row.dto.js';

/**
 * One INSERT for a whole batch; returns how many rows it inserted. A lead whose (source, email)
 * exists already, in the table or earlier in the batch, is skipped by the unique index. The rows
 * travel as one array per column, so the statement has 7 parameters whatever the batch size.
 */
export async function insertLeadBatch(
  tx: EntityManager,
  leads: readonly ImportLeadRow[],
  ownerId: string | null,
): Promise<number> {
  const column = (field: keyof ImportLeadRow) => leads.map((lead) => lead[field] ?? null);
  const [{ inserted }] = await tx.query<[{ inserted: number }]>(
    `WITH inserted AS (
       INSERT INTO mas_crm.leads (full_name, email, phone, source, platform, status, owner_id)
       SELECT full_name, email, phone, source, platform, coalesce(status, 'active'), $7::uuid
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                     $6::mas_crm.lead_status[]) AS lead(full_name, email, phone, source, platform, status)
       ON CONFLICT (source, email) DO NOTHING
       RETURNING id)
     SELECT count(*)::int AS inserted FROM inserted`,
    [
      column('fullName'),
      column('email'),
      column('phone'),
      column('source'),
      column('platform'),
      column('status'),
      ownerId,
    ],
  );
  return inserted;
}
