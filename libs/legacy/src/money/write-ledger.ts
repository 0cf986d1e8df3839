import type { SqlClient } from '../import-phase.js';

/**
 * Appends the batch's ledger rows in chain order, so entry_no (a sequence the native ledger orders
 * each user's rows by) follows it: per user, an overdraft cover goes just before the row it covers,
 * and the balance adjustment comes last. Only INSERTs: the append-only trigger stays on.
 *
 * Legacy type `bonus` has no native counterpart: it becomes `allotment` (tokens the school granted,
 * like an approved allotment), with "legacy bonus" kept in the note. `adjustment` is left to the
 * import's own reconciliation rows, so the adjustments alone explain the money parity.
 * The import's own rows get ids derived from what they belong to (md5 of a fixed prefix and the
 * legacy row or user id). No ON CONFLICT: the batch holds only users none of whose rows exist yet
 * (see wallet-chains.ts), and a row that did exist would be a bug to stop at, not to skip.
 */
const INSERT_LEDGER = `
  INSERT INTO token_usages (id, user_id, usage_type, delta, balance_before, balance_after, slot_id, note, created_at)
  SELECT id, user_id, usage_type::token_usage_type, delta, balance_before, balance_after, slot_id, note, created_at
    FROM (
      SELECT user_id, ord, 0 AS step, md5('legacy-import:overdraft-cover:' || id)::uuid AS id,
             'adjustment' AS usage_type, overdraft_cover AS delta,
             balance_before - overdraft_cover AS balance_before, balance_before AS balance_after,
             NULL::uuid AS slot_id, created_at,
             format('legacy import: the old system let this balance go to -%s at ledger row %s; this covers it',
                    overdraft_cover, id) AS note
        FROM money_chain WHERE overdraft_cover > 0
      UNION ALL
      SELECT user_id, ord, 1, id,
             CASE legacy_type WHEN 'bonus' THEN 'allotment' ELSE legacy_type END, delta,
             balance_before, balance_after, slot_id, created_at,
             CASE legacy_type WHEN 'bonus' THEN concat_ws(': ', 'legacy bonus', description) ELSE description END
        FROM money_chain
      UNION ALL
      SELECT user_id, last_ord + 1, 0, md5('legacy-import:balance:' || user_id)::uuid,
             'adjustment', target - chain_end, chain_end, target, NULL, coalesce(balanced_at, created_at),
             format('legacy import: the legacy balance is %s but the ledger adds up to %s', target - opening, chain_end - opening)
        FROM money_wallets WHERE target <> chain_end
    ) entries
   ORDER BY user_id, ord, step`;

/** Every surviving user gets its wallet (native code expects one per user), at its chain's target. */
const UPSERT_WALLETS = `
  INSERT INTO token_wallets (user_id, balance, created_at, updated_at)
  SELECT user_id, target, created_at, coalesce(balanced_at, created_at) FROM money_wallets
  ON CONFLICT (user_id) DO UPDATE SET balance = excluded.balance, updated_at = excluded.updated_at
   WHERE token_wallets.balance IS DISTINCT FROM excluded.balance`;

/** Writes the wallets and ledger rows computed by `computeWalletChains`. */
export async function writeWalletsAndLedger(client: SqlClient): Promise<void> {
  // Wallets first: the ledger rows belong to existing wallets, like native writes.
  await client.query(UPSERT_WALLETS);
  await client.query(INSERT_LEDGER);
}
