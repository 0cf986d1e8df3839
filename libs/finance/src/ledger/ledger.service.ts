import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@mas/domain-errors';
import { SqlParams } from '@mas/persistence';
import { EntityManager } from 'typeorm';
import { TokenUsageType } from '../entities/token-usage.entity.js';
import { LEDGER_ENTRY_COLUMNS, notEnoughTokens, walletChangeCtes } from './wallet-change.js';

export interface LedgerEntry {
  id: string;
  userId: string;
  usageType: TokenUsageType;
  delta: number;
  balanceBefore: number;
  balanceAfter: number;
  slotId: string | null;
  note: string | null;
  createdAt: Date;
}

export interface EntryDetails {
  slotId?: string | null;
  note?: string | null;
}

interface EntryRow {
  id: string;
  user_id: string;
  usage_type: TokenUsageType;
  delta: number;
  balance_before: number;
  balance_after: number;
  slot_id: string | null;
  note: string | null;
  created_at: Date;
}

/**
 * Wallet changes with their ledger rows (see walletChangeCtes), always inside the caller's
 * transaction (`tx`).
 */
@Injectable()
export class LedgerService {
  credit(
    tx: EntityManager,
    userId: string,
    tokens: number,
    type: TokenUsageType,
    details: EntryDetails = {},
  ) {
    return this.apply(tx, userId, positive(tokens), type, details);
  }

  /** Fails with 422 (and changes nothing) when the balance is too low. */
  debit(
    tx: EntityManager,
    userId: string,
    tokens: number,
    type: TokenUsageType,
    details: EntryDetails = {},
  ) {
    return this.apply(tx, userId, -positive(tokens), type, details);
  }

  /**
   * Locks several wallets in one fixed order (by user id), so transactions touching the same
   * wallets never deadlock. Call before crediting or debiting more than one wallet.
   */
  async lockWallets(tx: EntityManager, userIds: string[]): Promise<Map<string, number>> {
    const rows = await tx.query<{ user_id: string; balance: number }[]>(
      'SELECT user_id, balance FROM token_wallets WHERE user_id = ANY($1::uuid[]) ORDER BY user_id FOR UPDATE',
      [[...new Set(userIds)]],
    );
    return new Map(rows.map((row) => [row.user_id, row.balance]));
  }

  private async apply(
    tx: EntityManager,
    userId: string,
    delta: number,
    type: TokenUsageType,
    details: EntryDetails,
  ): Promise<LedgerEntry> {
    const params = new SqlParams();
    const ctes = walletChangeCtes(params, { userId, delta, type, ...details });
    const [row] = await tx.query<EntryRow[]>(
      `WITH ${ctes} SELECT ${LEDGER_ENTRY_COLUMNS} FROM ledger_entry`,
      params.values,
    );
    if (row) return toEntry(row);
    const [wallet] = await tx.query<{ balance: number }[]>(
      'SELECT balance FROM token_wallets WHERE user_id = $1',
      [userId],
    );
    if (!wallet) throw new NotFoundError('wallet not found');
    throw notEnoughTokens(wallet.balance, -delta);
  }
}

function positive(tokens: number): number {
  if (!Number.isInteger(tokens) || tokens <= 0)
    throw new RangeError(`token amount must be a positive integer, got ${tokens}`);
  return tokens;
}

function toEntry(row: EntryRow): LedgerEntry {
  return {
    id: row.id,
    userId: row.user_id,
    usageType: row.usage_type,
    delta: row.delta,
    balanceBefore: row.balance_before,
    balanceAfter: row.balance_after,
    slotId: row.slot_id,
    note: row.note,
    createdAt: row.created_at,
  };
}
