import { TestDatabase } from './test-database.js';
import { TestApp } from './test-app.js';

/**
 * Every way the token books could disagree, in SQL: a wallet's balance must equal the sum of its
 * ledger deltas and the balance_after of its newest row; each row must start where the previous
 * one ended; no balance may be negative. Returns the violations (empty when the books are right).
 */
export async function ledgerViolations(database: TestDatabase): Promise<unknown[]> {
  const { rows } = await database.sql(`
    WITH chained AS (
      SELECT user_id, entry_no, balance_before, balance_after,
             lag(balance_after) OVER (PARTITION BY user_id ORDER BY entry_no) AS previous_after
        FROM token_usages),
    broken_chain AS (
      SELECT user_id, 'row does not continue the previous balance' AS problem FROM chained
       WHERE balance_before <> coalesce(previous_after, 0) OR balance_after < 0),
    totals AS (
      SELECT w.user_id, w.balance,
             coalesce((SELECT sum(delta) FROM token_usages u WHERE u.user_id = w.user_id), 0) AS ledger_sum,
             coalesce((SELECT balance_after FROM token_usages u WHERE u.user_id = w.user_id
                        ORDER BY entry_no DESC LIMIT 1), 0) AS newest_after
        FROM token_wallets w),
    wrong_totals AS (
      SELECT user_id, format('balance %s, ledger sum %s, newest balance_after %s', balance, ledger_sum, newest_after)
        FROM totals WHERE balance <> ledger_sum OR balance <> newest_after OR balance < 0)
    SELECT * FROM broken_chain UNION ALL SELECT * FROM wrong_totals`);
  return rows;
}

/** Credits tokens the way production does: an allotment request approved by an admin. */
export async function fund(
  app: TestApp,
  adminToken: string,
  userId: string,
  tokens: number,
): Promise<void> {
  const auth = { Authorization: `Bearer ${adminToken}` };
  const created = await app
    .http()
    .post('/api/finance/allotments')
    .set(auth)
    .send({ userId, tokens, reason: 'test funds' })
    .expect(201);
  await app
    .http()
    .post(`/api/finance/allotments/${(created.body as { id: string }).id}/approve`)
    .set(auth)
    .expect(200);
}
