import type { SqlClient } from '../import-phase.js';

/** Records the rows a SELECT of (table_name, legacy_id, outcome, reason) yields, set-based (see reportOutcomes). */
async function recordOutcomes(client: SqlClient, select: string, values: unknown[] = []) {
  await client.query(
    `INSERT INTO legacy_import.report_items (table_name, legacy_id, outcome, reason)
     ${select}`,
    values,
  );
}

/** Ledger rows of the batch: zero rows skipped, rows of merged accounts, and every change made. */
const LEDGER_OUTCOMES = `
  SELECT 'token_usage', t.id, 'skipped',
         'tokensUsed is 0: it moves no tokens, and the ledger refuses a zero delta'
    FROM money_pending p
    JOIN legacy_import.user_map m ON m.user_id = p.user_id
    JOIN legacy_import.token_usage t ON t."userId" = m.legacy_id
   WHERE t."tokensUsed" = 0
  UNION ALL
  SELECT 'token_usage', id, 'merged',
         format('belongs to legacy user %s, merged into user %s: moved to that wallet', legacy_user_id, user_id)
    FROM money_chain WHERE legacy_user_id <> user_id
  UNION ALL
  SELECT 'token_usage', id, 'changed', reason
    FROM (SELECT id, concat_ws('; ',
            CASE WHEN legacy_type = 'bonus' THEN 'usage type bonus does not exist natively: imported as allotment' END,
            CASE WHEN legacy_slot_id IS NOT NULL AND slot_id IS NULL
                 THEN format('slot %s no longer exists: kept with slot_id null', legacy_slot_id) END,
            CASE WHEN overdraft_cover > 0
                 THEN format('the old system let the balance go to -%s here: an adjustment of +%s before it keeps it at 0', overdraft_cover, overdraft_cover) END,
            CASE WHEN (legacy_before, legacy_after) IS DISTINCT FROM (balance_before, balance_after)
                 THEN format('balance before/after recomputed from the ledger: legacy %s -> %s, now %s -> %s',
                             legacy_before, legacy_after, balance_before, balance_after) END) AS reason
            FROM money_chain) changes
   WHERE reason <> ''`;

/**
 * Balance rows of the batch: those of merged accounts, negative ones counted as 0, and (on one
 * balance row per wallet: the surviving account's, else the first) the adjustment that made the
 * wallet end at the legacy balance.
 */
const BALANCE_OUTCOMES = `
  WITH balances AS (
    SELECT k.id, k.balance, k."userId" AS legacy_user_id, m.user_id,
           row_number() OVER (PARTITION BY m.user_id ORDER BY (k."userId" = m.user_id) DESC, k.id) AS rank
      FROM money_pending p
      JOIN legacy_import.user_map m ON m.user_id = p.user_id
      JOIN legacy_import.tokens k ON k."userId" = m.legacy_id)
  SELECT 'tokens', id, 'merged',
         format('balance %s of legacy user %s, merged into user %s: added to that wallet', balance, legacy_user_id, user_id)
    FROM balances WHERE legacy_user_id <> user_id
  UNION ALL
  SELECT 'tokens', b.id, 'changed', reason
    FROM (SELECT b.id, concat_ws('; ',
            CASE WHEN b.balance < 0 THEN format('balance %s is below zero: counted as 0', b.balance) END,
            CASE WHEN b.rank = 1 AND w.target <> w.chain_end
                 THEN format('the ledger adds up to %s but the legacy balance is %s: one adjustment of %s makes the wallet end at %s',
                             w.chain_end - w.opening, w.target - w.opening, CASE WHEN w.target > w.chain_end THEN '+' ELSE '' END || (w.target - w.chain_end), w.target - w.opening) END) AS reason
            FROM balances b JOIN money_wallets w ON w.user_id = b.user_id) b
   WHERE reason <> ''`;

/** Reports what the batch merged and changed in the pending users' wallets. */
export async function reportBatchOutcomes(client: SqlClient): Promise<void> {
  await recordOutcomes(client, LEDGER_OUTCOMES);
  await recordOutcomes(client, BALANCE_OUTCOMES);
}

/**
 * Legacy balance and ledger rows whose user did not become a native user (the users phase skipped
 * it): no wallet can hold them, so they are skipped, each listed.
 */
export async function reportUnmappedOwners(client: SqlClient): Promise<void> {
  for (const table of ['tokens', 'token_usage']) {
    await recordOutcomes(
      client,
      `SELECT '${table}', t.id, 'skipped', format('its user %s was not imported', t."userId")
         FROM legacy_import.${table} t
        WHERE NOT EXISTS (SELECT 1 FROM legacy_import.user_map m JOIN users u ON u.id = m.user_id
                           WHERE m.legacy_id = t."userId")`,
    );
  }
}
