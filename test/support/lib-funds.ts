import { type INestApplicationContext } from '@nestjs/common';
import { LedgerService, TokenUsageType } from '@mas/finance';
import { type User, UserRole } from '@mas/identity';
import { TransactionRunner } from '@mas/persistence';
import { createLibUser } from './lib-users.js';

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

/** A new student holding `tokens` (no ledger row when 0). */
export async function createFundedStudent(
  context: INestApplicationContext,
  tokens: number,
): Promise<User> {
  const student = await createLibUser(context, UserRole.Student);
  if (tokens > 0) await creditTokens(context, student.id, tokens);
  return student;
}
