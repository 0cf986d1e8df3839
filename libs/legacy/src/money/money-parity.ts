import type { SqlClient } from '../import-phase.js';

export interface LedgerTotal {
  rows: number;
  tokens: number;
}

/**
 * Money parity of an import, from the staged legacy rows and the native tables:
 * `expectedBalances` (the legacy balances, negatives counted as 0, without those of users that were
 * not imported, plus what ledgers without any balance row add up to) must equal what the import
 * wrote (`importedLedger` + `overdraftCovers` + `balanceAdjustments`), and the native wallets of the
 * imported users hold that plus any native activity on them (`nativeActivity`).
 */
export interface MoneyParity {
  legacyBalances: number;
  negativeBalancesZeroed: LedgerTotal;
  unimportedBalances: number;
  ledgerOnlyBalances: number;
  expectedBalances: number;
  nativeBalances: number;
  nativeActivity: number;
  importedLedger: LedgerTotal;
  overdraftCovers: LedgerTotal;
  balanceAdjustments: LedgerTotal;
  balanced: boolean;
}

/**
 * Both sides in one pass over each table. Covers are found among the ledger's adjustment rows
 * (thousands) rather than by hashing a cover id for every legacy row (millions).
 */
const PARITY = `
  WITH mapped_ids AS (
    SELECT m.legacy_id, m.user_id FROM legacy_import.user_map m JOIN users u ON u.id = m.user_id),
  mapped AS (SELECT DISTINCT user_id FROM mapped_ids),
  balances AS (
    SELECT k.balance, i.user_id FROM legacy_import.tokens k LEFT JOIN mapped_ids i ON i.legacy_id = k."userId"),
  with_balance AS (SELECT DISTINCT user_id FROM balances WHERE user_id IS NOT NULL),
  covers AS (
    SELECT md5('legacy-import:overdraft-cover:' || t.id)::uuid AS id FROM legacy_import.token_usage t
     WHERE md5('legacy-import:overdraft-cover:' || t.id)::uuid IN (SELECT id FROM token_usages WHERE usage_type = 'adjustment')),
  ledger AS (
    SELECT n.delta, wb.user_id IS NOT NULL AS has_balance,
           CASE WHEN t.id IS NOT NULL THEN 'legacy'
                WHEN n.id = md5('legacy-import:balance:' || n.user_id)::uuid THEN 'adjustment'
                WHEN c.id IS NOT NULL THEN 'cover'
                ELSE 'native' END AS kind
      FROM token_usages n
      JOIN mapped USING (user_id)
      LEFT JOIN with_balance wb ON wb.user_id = n.user_id
      LEFT JOIN legacy_import.token_usage t ON t.id = n.id
      LEFT JOIN covers c ON c.id = n.id)
  SELECT b.*, l.*,
    (SELECT coalesce(sum(w.balance), 0) FROM token_wallets w JOIN mapped USING (user_id)) AS native_balances
    FROM (SELECT coalesce(sum(balance), 0) AS legacy_balances,
                 count(*) FILTER (WHERE balance < 0) AS negative_rows,
                 coalesce(sum(-balance) FILTER (WHERE balance < 0), 0) AS negative_tokens,
                 coalesce(sum(greatest(balance, 0)) FILTER (WHERE user_id IS NULL), 0) AS unimported_balances
            FROM balances) b,
         (SELECT coalesce(sum(delta) FILTER (WHERE kind <> 'native' AND NOT has_balance), 0) AS ledger_only_balances,
                 coalesce(sum(delta) FILTER (WHERE kind = 'native'), 0) AS native_activity,
                 count(*) FILTER (WHERE kind = 'legacy') AS legacy_rows,
                 coalesce(sum(delta) FILTER (WHERE kind = 'legacy'), 0) AS legacy_tokens,
                 count(*) FILTER (WHERE kind = 'cover') AS cover_rows,
                 coalesce(sum(delta) FILTER (WHERE kind = 'cover'), 0) AS cover_tokens,
                 count(*) FILTER (WHERE kind = 'adjustment') AS adjustment_rows,
                 coalesce(sum(delta) FILTER (WHERE kind = 'adjustment'), 0) AS adjustment_tokens
            FROM ledger) l`;

type ParityRow = Record<string, string>;

/** Computes the money parity (read only; runs in whatever transaction `client` is in). */
export async function moneyParity(client: SqlClient): Promise<MoneyParity> {
  const { rows } = await client.query<ParityRow>(PARITY);
  const n = (column: string) => Number(rows[0][column]);
  const total = (prefix: string): LedgerTotal => ({
    rows: n(`${prefix}_rows`),
    tokens: n(`${prefix}_tokens`),
  });
  const parity = {
    legacyBalances: n('legacy_balances'),
    negativeBalancesZeroed: total('negative'),
    unimportedBalances: n('unimported_balances'),
    ledgerOnlyBalances: n('ledger_only_balances'),
    nativeBalances: n('native_balances'),
    nativeActivity: n('native_activity'),
    importedLedger: total('legacy'),
    overdraftCovers: total('cover'),
    balanceAdjustments: total('adjustment'),
  };
  const expectedBalances =
    parity.legacyBalances +
    parity.negativeBalancesZeroed.tokens -
    parity.unimportedBalances +
    parity.ledgerOnlyBalances;
  const written =
    parity.importedLedger.tokens + parity.overdraftCovers.tokens + parity.balanceAdjustments.tokens;
  return {
    ...parity,
    expectedBalances,
    balanced:
      written === expectedBalances &&
      parity.nativeBalances === expectedBalances + parity.nativeActivity,
  };
}

/** The report's one-line summary of `moneyParity`. */
export function formatMoneyParity(parity: MoneyParity): string {
  const { importedLedger, overdraftCovers, balanceAdjustments } = parity;
  return (
    `money parity: ${parity.balanced ? 'OK' : 'MISMATCH'} — legacy balances ${parity.legacyBalances}` +
    ` (+${parity.negativeBalancesZeroed.tokens} from ${parity.negativeBalancesZeroed.rows} negative balances counted as 0,` +
    ` -${parity.unimportedBalances} of users not imported, +${parity.ledgerOnlyBalances} from ledgers without a balance row)` +
    ` = ${parity.expectedBalances}; new balances ${parity.nativeBalances}` +
    (parity.nativeActivity ? ` (${parity.nativeActivity} of it native activity)` : '') +
    ` = ledger ${importedLedger.tokens} (${importedLedger.rows} rows)` +
    ` + overdraft covers ${overdraftCovers.tokens} (${overdraftCovers.rows})` +
    ` + balance adjustments ${balanceAdjustments.tokens} (${balanceAdjustments.rows})`
  );
}
