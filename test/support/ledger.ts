import { type TestDatabase } from './test-database.js';
import { type TestApp } from './test-app.js';

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

/**
 * Users whose ledger credits of type allotment differ from the tokens of their approved allotment
 * requests: a credit half-applied, applied twice, or applied without its approval. Holds where only
 * the API credits (a legacy import writes allotment rows of its own).
 */
export async function allotmentViolations(database: TestDatabase): Promise<unknown[]> {
  const { rows } = await database.sql(`
    SELECT user_id, coalesce(approved, 0) AS approved, coalesce(credited, 0) AS credited
      FROM (SELECT user_id, sum(tokens) AS approved FROM token_allotment_requests
             WHERE status = 'approved' GROUP BY user_id) a
      FULL JOIN (SELECT user_id, sum(delta) AS credited FROM token_usages
                  WHERE usage_type = 'allotment' GROUP BY user_id) l USING (user_id)
     WHERE coalesce(approved, 0) <> coalesce(credited, 0)`);
  return rows;
}

/**
 * Slots whose ledger disagrees with their state: a slot that holds its student's tokens (requested,
 * under review, confirmed, cancellation requested, completed) has been paid its price exactly once
 * net of refunds, any other slot nothing; and while a slot has a student, its booking and refund
 * rows are that student's.
 */
export async function slotLedgerViolations(database: TestDatabase): Promise<unknown[]> {
  const { rows } = await database.sql(`
    SELECT s.id, s.status, s.price_tokens, coalesce(-sum(u.delta), 0) AS held,
           count(*) FILTER (WHERE u.user_id <> s.student_id) AS rows_of_others
      FROM slots s
      LEFT JOIN token_usages u ON u.slot_id = s.id AND u.usage_type IN ('meeting_booking', 'refund')
     GROUP BY s.id
    HAVING coalesce(-sum(u.delta), 0) <>
             CASE WHEN s.status IN ('tentative', 'cancelled') THEN 0 ELSE s.price_tokens END
        OR count(*) FILTER (WHERE u.user_id <> s.student_id) > 0`);
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
