import { type INestApplicationContext } from '@nestjs/common';
import { LedgerService, TokenUsageType } from '@mas/finance';
import { TransactionRunner } from '@mas/persistence';

/**
 * Gives a user tokens in a lib spec with one adjustment row through the ledger (no allotment
 * request: specs of other libs need the balance, not the approval).
 */
export async function creditTokens(
  context: INestApplicationContext,
  userId: string,
  tokens: number,
): Promise<void> {
  await context
    .get(TransactionRunner)
    .run((tx) => context.get(LedgerService).credit(tx, userId, tokens, TokenUsageType.Adjustment));
}
