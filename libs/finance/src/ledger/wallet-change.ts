import { errorDetail, RuleViolationError } from '@mas/domain-errors';
import type { SqlParams } from '@mas/persistence';
import { type TokenUsageType } from '../entities/token-usage.entity.js';

export interface WalletChange {
  userId: string;
  /** Signed: negative debits. */
  delta: number;
  type: TokenUsageType;
  slotId?: string | null;
  note?: string | null;
  /** An SQL condition that must also hold for the change to happen (e.g. EXISTS over another CTE). */
  when?: string;
}

/** The columns `ledger_entry` returns. */
export const LEDGER_ENTRY_COLUMNS =
  'id, user_id, usage_type, delta, balance_before, balance_after, slot_id, note, created_at';

/**
 * CTEs (for a caller's WITH clause) that change a wallet and write its ledger row in one
 * statement: `wallet_change` updates the wallet, which locks it, and matches nothing when the
 * balance would go below zero; `ledger_entry` inserts the row from the updated balance, so the
 * wallet always equals its last ledger row.
 */
export function walletChangeCtes(params: SqlParams, change: WalletChange): string {
  const source = `SELECT ${params.bind(change.userId, 'uuid')} AS user_id,
           ${params.bind(change.delta, 'integer')} AS delta, ${params.bind(change.slotId ?? null, 'uuid')} AS slot_id
          ${change.when ? `WHERE ${change.when}` : ''}`;
  return `wallet_delta AS (${source}),
    ${walletChangesCtes(params, { deltas: 'wallet_delta', type: change.type, note: change.note })}`;
}

/**
 * The same for several wallets at once: `deltas` names a CTE with the columns user_id, delta and
 * slot_id, at most one row per user. `wallet_lock` first locks the wallets in user-id order (as
 * LedgerService.lockWallets does), so statements changing several wallets never deadlock, and
 * returns their balances as locked, before the change. A wallet the balance does not cover is
 * left unchanged, with no ledger row.
 */
export function walletChangesCtes(
  params: SqlParams,
  change: { deltas: string; type: TokenUsageType; note?: string | null },
): string {
  return `
    wallet_lock AS (
      SELECT user_id, balance FROM token_wallets WHERE user_id IN (SELECT user_id FROM ${change.deltas})
       ORDER BY user_id FOR UPDATE
    ),
    wallet_change AS (
      UPDATE token_wallets w SET balance = w.balance + d.delta, updated_at = now()
        FROM ${change.deltas} d JOIN wallet_lock l USING (user_id)
       WHERE w.user_id = d.user_id AND w.balance + d.delta >= 0
       RETURNING w.user_id, w.balance, d.delta, d.slot_id
    ),
    ledger_entry AS (
      INSERT INTO token_usages (user_id, usage_type, delta, balance_before, balance_after, slot_id, note)
      SELECT user_id, ${params.bind(change.type, 'token_usage_type')}, delta, balance - delta, balance,
             slot_id, ${params.bind(change.note ?? null, 'text')}
        FROM wallet_change
      RETURNING ${LEDGER_ENTRY_COLUMNS}
    )`;
}

/** The refusal (a 422) of a debit the balance does not cover. */
export function notEnoughTokens(balance: number, needed: number): RuleViolationError {
  return new RuleViolationError(`not enough tokens: balance ${balance}, needed ${needed}`, [
    errorDetail(`the balance is ${balance}, ${needed} needed`),
  ]);
}
