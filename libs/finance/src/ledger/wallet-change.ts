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
 * Two CTEs (for a caller's WITH clause) that change a wallet and write its ledger row in one
 * statement: `wallet_change` updates the wallet, which locks it, and matches nothing when the
 * balance would go below zero; `ledger_entry` inserts the row from the updated balance, so the
 * wallet always equals its last ledger row.
 */
export function walletChangeCtes(params: SqlParams, change: WalletChange): string {
  const userId = params.bind(change.userId, 'uuid');
  const delta = params.bind(change.delta, 'integer');
  return `
    wallet_change AS (
      UPDATE token_wallets SET balance = balance + ${delta}, updated_at = now()
       WHERE user_id = ${userId} AND balance + ${delta} >= 0${change.when ? ` AND (${change.when})` : ''}
       RETURNING balance
    ),
    ledger_entry AS (
      INSERT INTO token_usages (user_id, usage_type, delta, balance_before, balance_after, slot_id, note)
      SELECT ${userId}, ${params.bind(change.type, 'token_usage_type')}, ${delta}, balance - ${delta}, balance,
             ${params.bind(change.slotId ?? null, 'uuid')}, ${params.bind(change.note ?? null, 'text')}
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
