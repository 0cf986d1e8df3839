import type pg from 'pg';

export interface BackupDataScale {
  users: number;
  /** Ledger rows per user (credits of 5 tokens, chained balances). */
  ledgerPerUser: number;
  /** Slots per expert (one user in ten), back to back, never overlapping. */
  slotsPerExpert: number;
  leads: number;
}

/**
 * Fills a migrated database with the shapes that matter to a backup: users, wallets and a chained
 * ledger whose sums agree, slots under the exclusion constraint, CRM leads with text columns.
 * Plain SQL (generate_series), so a gigabyte takes minutes, not hours.
 */
export async function fillBackupData(client: pg.ClientBase, scale: BackupDataScale): Promise<void> {
  await client.query(
    `INSERT INTO users (email, password_hash, full_name, role)
     SELECT format('user%s@bench.local', g), 'not-a-hash', format('Bench User %s', g),
            (CASE WHEN g % 10 = 0 THEN 'expert' ELSE 'student' END)::user_role
       FROM generate_series(1, $1::int) g`,
    [scale.users],
  );
  await client.query(
    `INSERT INTO token_wallets (user_id, balance) SELECT id, $1::int * 5 FROM users`,
    [scale.ledgerPerUser],
  );
  await client.query(
    `INSERT INTO token_usages (user_id, usage_type, delta, balance_before, balance_after, note)
     SELECT u.id, 'adjustment', 5, (k - 1) * 5, k * 5, format('bench credit %s of %s', k, u.email)
       FROM users u CROSS JOIN generate_series(1, $1::int) k
      ORDER BY u.id, k`,
    [scale.ledgerPerUser],
  );
  await client.query(
    `INSERT INTO slots (mentor_id, starts_at, ends_at, price_tokens)
     SELECT u.id, timestamptz '2030-01-01' + k * interval '1 hour',
            timestamptz '2030-01-01' + k * interval '1 hour' + interval '30 minutes', 2
       FROM users u CROSS JOIN generate_series(1, $1::int) k WHERE u.role = 'expert'`,
    [scale.slotsPerExpert],
  );
  await client.query(
    `INSERT INTO mas_crm.leads (full_name, email, phone, source, platform)
     SELECT format('Lead %s', g), format('lead%s@bench.local', g), format('+91%s', 9000000000 + g),
            (ARRAY['website', 'referral', 'event'])[1 + g % 3], 'web'
       FROM generate_series(1, $1::int) g`,
    [scale.leads],
  );
  await client.query('ANALYZE');
}
