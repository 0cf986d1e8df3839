import type { SqlClient } from '../import-phase.js';

export interface MoneyAdjustment {
  id: string;
  userId: string;
  delta: number;
  note: string | null;
}

export interface MoneyParity {
  /** Sum of the legacy `tokens.balance` values as they were. */
  legacyTotal: number;
  /** The same with negative balances counted as 0 (native wallets never go below 0). */
  legacyClampedTotal: number;
  /** Sum of the native balances of the wallets the legacy users map to. */
  nativeTotal: number;
  adjustmentCount: number;
  adjustmentTotal: number;
  /** The first adjustments (all of them up to the limit), each explaining part of the gap. */
  adjustments: MoneyAdjustment[];
  balanced: boolean;
}

const ADJUSTMENTS_LISTED = 10_000;

/**
 * Money parity after the import: legacy balances (negatives clamped to 0) against the wallets
 * they became, with the `adjustment` rows the import appended (ledger rows whose id is not a
 * legacy ledger id) that make each wallet end at its legacy balance.
 */
export async function moneyParity(client: SqlClient): Promise<MoneyParity> {
  const totals = await client.query<Record<string, string>>(
    `WITH mapped AS (SELECT DISTINCT user_id FROM legacy_import.user_map),
          added AS (
            SELECT u.id, u.user_id, u.delta, u.note, u.entry_no FROM public.token_usages u
             WHERE u.usage_type = 'adjustment' AND u.user_id IN (SELECT user_id FROM mapped)
               AND NOT EXISTS (SELECT 1 FROM legacy_import.token_usage l WHERE l.id = u.id))
     SELECT (SELECT coalesce(sum(balance), 0) FROM legacy_import.tokens) AS legacy_total,
            (SELECT coalesce(sum(greatest(balance, 0)), 0) FROM legacy_import.tokens) AS legacy_clamped,
            (SELECT coalesce(sum(w.balance), 0) FROM public.token_wallets w
              WHERE w.user_id IN (SELECT user_id FROM mapped)) AS native_total,
            (SELECT count(*) FROM added) AS adjustment_count,
            (SELECT coalesce(sum(delta), 0) FROM added) AS adjustment_total,
            (SELECT coalesce(json_agg(a ORDER BY a.entry_no), '[]')::text
               FROM (SELECT id, user_id AS "userId", delta, note, entry_no FROM added
                      ORDER BY entry_no LIMIT ${ADJUSTMENTS_LISTED}) a) AS adjustments`,
  );
  const row = totals.rows[0];
  const legacyClampedTotal = Number(row.legacy_clamped);
  const nativeTotal = Number(row.native_total);
  const adjustments = (
    JSON.parse(row.adjustments) as (MoneyAdjustment & { entry_no: number })[]
  ).map(({ id, userId, delta, note }) => ({ id, userId, delta, note }));
  return {
    legacyTotal: Number(row.legacy_total),
    legacyClampedTotal,
    nativeTotal,
    adjustmentCount: Number(row.adjustment_count),
    adjustmentTotal: Number(row.adjustment_total),
    adjustments,
    balanced: legacyClampedTotal === nativeTotal,
  };
}
