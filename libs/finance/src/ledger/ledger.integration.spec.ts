import { randomUUID } from 'node:crypto';
import { NotFoundError, RuleViolationError } from '@mas/domain-errors';
import { TransactionRunner } from '@mas/persistence';
import { createFundedStudent } from '@mas/testing/lib-funds.js';
import { type LibModule, startLibModule } from '@mas/testing/lib-module.js';
import { libIdentityModule } from '@mas/testing/lib-users.js';
import { ledgerViolations } from '@mas/testing/ledger.js';
import { TokenUsageType } from '../entities/token-usage.entity.js';
import { FinanceModule } from '../finance.module.js';
import { WalletsService } from '../wallets/wallets.service.js';
import { LedgerService } from './ledger.service.js';
import { expectRefusal } from '@mas/testing/domain-errors.js';

describe('LedgerService and WalletsService (finance lib, on Postgres)', () => {
  let lib: LibModule;
  let ledger: LedgerService;
  let transactions: TransactionRunner;

  const debit = (userId: string, tokens: number) =>
    transactions.run((tx) => ledger.debit(tx, userId, tokens, TokenUsageType.Penalty));
  const balanceOf = async (userId: string) =>
    (await lib.context.get(WalletsService).getWallet(userId)).balance;
  const rowsOf = async (userId: string) =>
    (
      await lib.database.sql(
        'SELECT usage_type, delta, balance_after FROM token_usages WHERE user_id = $1 ORDER BY entry_no',
        [userId],
      )
    ).rows;
  const studentWith = (tokens: number) => createFundedStudent(lib.context, tokens);

  beforeAll(async () => {
    lib = await startLibModule([libIdentityModule(), FinanceModule]);
    ledger = lib.context.get(LedgerService);
    transactions = lib.context.get(TransactionRunner);
  });

  afterEach(async () => {
    expect(await ledgerViolations(lib.database)).toEqual([]);
  });

  afterAll(async () => {
    await lib?.close();
  });

  it('gives a user created through UsersService a zero wallet and no ledger rows', async () => {
    const student = await studentWith(0);
    expect(await balanceOf(student.id)).toBe(0);
    expect(await rowsOf(student.id)).toEqual([]);
  });

  it('refuses a debit the balance does not cover, and writes nothing', async () => {
    const student = await studentWith(3);
    const refusal = debit(student.id, 5);
    await expect(refusal).rejects.toThrow(RuleViolationError);
    await expect(refusal).rejects.toThrow('not enough tokens: balance 3, needed 5');
    expect(await balanceOf(student.id)).toBe(3);
    expect(await rowsOf(student.id)).toEqual([
      { usage_type: 'adjustment', delta: 3, balance_after: 3 },
    ]);
  });

  it('debits down to exactly zero, never below', async () => {
    const student = await studentWith(2);
    await debit(student.id, 2);
    await expect(debit(student.id, 1)).rejects.toThrow(RuleViolationError);
    expect(await balanceOf(student.id)).toBe(0);
  });

  it('answers a user without a wallet with NotFoundError, for credits and debits alike', async () => {
    const nobody = randomUUID();
    await expectRefusal(
      transactions.run((tx) => ledger.credit(tx, nobody, 1, TokenUsageType.Adjustment)),
      NotFoundError,
      'wallet not found',
    );
    await expect(debit(nobody, 1)).rejects.toThrow(NotFoundError);
    await expect(lib.context.get(WalletsService).getWallet(nobody)).rejects.toThrow(NotFoundError);
  });

  it('refuses amounts that are not positive integers before touching the wallet', async () => {
    const student = await studentWith(5);
    for (const tokens of [0, -2, 1.5])
      await expect(debit(student.id, tokens)).rejects.toThrow(RangeError);
    expect(await balanceOf(student.id)).toBe(5);
    expect(await rowsOf(student.id)).toHaveLength(1);
  });

  it("rolls its change back with the caller's transaction", async () => {
    const student = await studentWith(4);
    const failing = transactions.run(async (tx) => {
      await ledger.debit(tx, student.id, 4, TokenUsageType.Penalty);
      throw new Error('the caller fails after the debit');
    });
    await expect(failing).rejects.toThrow('the caller fails after the debit');
    expect(await balanceOf(student.id)).toBe(4);
    expect(await rowsOf(student.id)).toHaveLength(1);
  });

  it('locks several wallets and reports their balances, skipping unknown users', async () => {
    const [a, b] = [await studentWith(1), await studentWith(2)];
    const balances = await transactions.run((tx) =>
      ledger.lockWallets(tx, [b.id, a.id, b.id, randomUUID()]),
    );
    expect(balances).toEqual(
      new Map([
        [a.id, 1],
        [b.id, 2],
      ]),
    );
  });

  it('12 concurrent debits of 1 against 5 tokens: exactly 5 succeed, the rest change nothing', async () => {
    const student = await studentWith(5);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, () => debit(student.id, 1)),
    );
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(outcomes.length - refused.length).toBe(5);
    for (const outcome of refused) expect(outcome.reason).toBeInstanceOf(RuleViolationError);
    expect(await balanceOf(student.id)).toBe(0);
    const debits = await lib.database.sql(
      "SELECT count(*)::int AS n FROM token_usages WHERE user_id = $1 AND usage_type = 'penalty'",
      [student.id],
    );
    expect(debits.rows[0].n).toBe(5);
  });
});
