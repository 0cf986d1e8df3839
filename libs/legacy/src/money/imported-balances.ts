import type { SqlClient } from '../import-phase.js';

/**
 * How many staged legacy `tokens` rows were imported. A balance row does not become a native row
 * with its id (a wallet is keyed by its user): it counts as imported when the wallet of the user it
 * maps to exists, so the report's "imported" for `tokens` cannot use the id rule of other tables.
 */
export const IMPORTED_BALANCE_ROWS_SQL = `SELECT count(*)::int AS n
   FROM legacy_import.tokens k
   JOIN legacy_import.user_map m ON m.legacy_id = k."userId"
   JOIN token_wallets w ON w.user_id = m.user_id`;

export async function countImportedBalanceRows(client: SqlClient): Promise<number> {
  const { rows } = await client.query<{ n: number }>(IMPORTED_BALANCE_ROWS_SQL);
  return rows[0]?.n ?? 0;
}
