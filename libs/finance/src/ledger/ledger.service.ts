import { Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { errorDetail, withDetails } from '@mas/persistence';
import { EntityManager } from 'typeorm';
import { TokenUsageType } from '../entities/token-usage.entity.js';

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
 * Changes a wallet and writes its ledger row in one statement: the UPDATE locks the wallet row, a
 * debit that would go below zero matches nothing, and the ledger row is inserted from the updated
 * balance. Always runs inside the caller's transaction (`tx`).
 */
const APPLY_DELTA = `
  WITH changed AS (
    UPDATE token_wallets SET balance = balance + $2, updated_at = now()
     WHERE user_id = $1 AND balance + $2 >= 0
     RETURNING balance
  )
  INSERT INTO token_usages (user_id, usage_type, delta, balance_before, balance_after, slot_id, note)
  SELECT $1, $3, $2, balance - $2, balance, $4, $5 FROM changed
  RETURNING id, user_id, usage_type, delta, balance_before, balance_after, slot_id, note, created_at`;

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
    const [row] = await tx.query<EntryRow[]>(APPLY_DELTA, [
      userId,
      delta,
      type,
      details.slotId ?? null,
      details.note ?? null,
    ]);
    if (row) return toEntry(row);
    const [wallet] = await tx.query<{ balance: number }[]>(
      'SELECT balance FROM token_wallets WHERE user_id = $1',
      [userId],
    );
    if (!wallet) throw new NotFoundException('wallet not found');
    throw new UnprocessableEntityException(
      withDetails(`not enough tokens: balance ${wallet.balance}, needed ${-delta}`, [
        errorDetail(`the balance is ${wallet.balance}, ${-delta} needed`),
      ]),
    );
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
