import type { SqlClient } from '../import-phase.js';

/**
 * The batch's users that still need their wallet: native users (the surviving ones of user_map)
 * whose balance adjustment and legacy ledger rows do not exist yet. A batch commits as a whole, so a
 * user is either fully imported or untouched: probing one of its rows tells which, and a second run
 * finds every user done and writes nothing.
 * `opening` is the wallet the user may already have (a native account a legacy one was merged into):
 * the imported chain continues from it.
 */
const PENDING_USERS = `
  CREATE TEMP TABLE money_pending ON COMMIT DROP AS
  SELECT u.id AS user_id, coalesce(w.balance, 0) AS opening, u.created_at AS user_created_at
    FROM users u
    LEFT JOIN token_wallets w ON w.user_id = u.id
   WHERE u.id = ANY($1::uuid[])
     AND NOT EXISTS (SELECT 1 FROM token_usages a WHERE a.id = md5('legacy-import:balance:' || u.id)::uuid)
     AND NOT EXISTS (
       SELECT 1 FROM token_usages n
        WHERE n.id = (SELECT t.id FROM legacy_import.user_map m
                        JOIN legacy_import.token_usage t ON t."userId" = m.legacy_id
                       WHERE m.user_id = u.id AND t."tokensUsed" <> 0 LIMIT 1))`;

/**
 * Every non-zero legacy ledger row of the pending users, in time order per surviving user, with the
 * chain recomputed from the opening balance: delta = -"tokensUsed" (legacy spends are positive).
 * The native ledger never goes below zero, and the old one did: where the running balance would
 * dip below zero, `overdraft_cover` is the credit an adjustment row placed just before the row must
 * bring so the row ends at exactly 0 (a floored walk: after_i = raw_i - floor_i, where
 * floor_i = min(0, raw_1..i) and the cover is floor_(i-1) - floor_i).
 * The legacy row's own delta is kept, so every spend and credit survives as it was.
 * `created_at` is rounded to the native precision (ms) before ordering, so entry_no order and
 * (created_at, id) order agree.
 */
const CHAINS = `
  CREATE TEMP TABLE money_chain ON COMMIT DROP AS
  WITH legacy_rows AS (
    SELECT p.user_id, p.opening, t.id, t."userId" AS legacy_user_id, t."slotId" AS legacy_slot_id,
           CASE WHEN EXISTS (SELECT 1 FROM slots s WHERE s.id = t."slotId") THEN t."slotId" END AS slot_id,
           t."usageType" AS legacy_type, -t."tokensUsed" AS delta,
           t."balanceBefore" AS legacy_before, t."balanceAfter" AS legacy_after, t.description,
           (t."createdAt" AT TIME ZONE $1)::timestamptz(3) AS created_at
      FROM money_pending p
      JOIN legacy_import.user_map m ON m.user_id = p.user_id
      JOIN legacy_import.token_usage t ON t."userId" = m.legacy_id
     WHERE t."tokensUsed" <> 0),
  walked AS (
    SELECT r.*, r.opening + sum(r.delta) OVER w AS raw_after, row_number() OVER w AS ord
      FROM legacy_rows r
    WINDOW w AS (PARTITION BY r.user_id ORDER BY r.created_at, r.id ROWS UNBOUNDED PRECEDING)),
  floored AS (
    SELECT k.*, least(0, min(k.raw_after) OVER (PARTITION BY k.user_id ORDER BY k.created_at, k.id
                                                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) AS floor_before
      FROM walked k)
  SELECT f.*, f.raw_after - least(f.floor_before, f.raw_after) AS balance_after,
         f.raw_after - least(f.floor_before, f.raw_after) - f.delta AS balance_before,
         f.floor_before - least(f.floor_before, f.raw_after) AS overdraft_cover
    FROM floored f`;

/**
 * One line per pending wallet: where its chain ends and where it must end. The target is the sum of
 * the legacy balances of every account merged into the user, each negative one counted as 0 (the
 * native wallet cannot be negative; that debt is forgiven and reported). A user without any legacy
 * balance row keeps what its ledger adds up to: no balance was recorded, so nothing is invented or
 * taken away.
 */
const WALLETS = `
  CREATE TEMP TABLE money_wallets ON COMMIT DROP AS
  SELECT p.user_id, p.opening, coalesce(c.balance_after, p.opening) AS chain_end,
         coalesce(c.ord, 0) AS last_ord, c.created_at AS last_at, b.balance_rows,
         CASE WHEN b.balance_rows IS NULL THEN coalesce(c.balance_after, p.opening)
              ELSE p.opening + b.legacy_balance END AS target,
         coalesce(b.first_created, p.user_created_at) AS created_at,
         greatest(c.created_at, b.last_updated) AS balanced_at
    FROM money_pending p
    LEFT JOIN (SELECT DISTINCT ON (user_id) user_id, balance_after, ord, created_at
                 FROM money_chain ORDER BY user_id, ord DESC) c ON c.user_id = p.user_id
    LEFT JOIN (SELECT m.user_id, count(*) AS balance_rows, sum(greatest(k.balance, 0)) AS legacy_balance,
                      min(k."createdAt" AT TIME ZONE $1)::timestamptz(3) AS first_created,
                      max(k."updatedAt" AT TIME ZONE $1)::timestamptz(3) AS last_updated
                 FROM money_pending q
                 JOIN legacy_import.user_map m ON m.user_id = q.user_id
                 JOIN legacy_import.tokens k ON k."userId" = m.legacy_id
                GROUP BY m.user_id) b ON b.user_id = p.user_id`;

/**
 * Computes the batch's wallets in three temporary tables (dropped at commit): money_pending,
 * money_chain (one row per legacy ledger row) and money_wallets (one row per wallet).
 */
export async function computeWalletChains(
  client: SqlClient,
  userIds: string[],
  timezone: string,
): Promise<void> {
  // The batch sorts its users' whole chains (window functions, then entry_no order): in memory
  // rather than in temporary files. SET LOCAL ends with the batch's transaction.
  await client.query(`SET LOCAL work_mem = '64MB'`);
  // Dropped first too, in case a caller runs several batches in one transaction (a dry run).
  await client.query('DROP TABLE IF EXISTS money_pending, money_chain, money_wallets');
  await client.query(PENDING_USERS, [userIds]);
  await client.query(CHAINS, [timezone]);
  await client.query(WALLETS, [timezone]);
}
