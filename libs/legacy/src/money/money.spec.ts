import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { runPhases } from '@mas/testing/legacy-phases.js';
import { reportedDecisions } from '@mas/testing/legacy-staged-users.js';
import { ledgerViolations } from '@mas/testing/ledger.js';
import { countImportedBalanceRows, moneyParity, moneyPhases } from './index.js';

const CONTEXT = { timezone: 'Asia/Kolkata', batchSize: 2 };

/** A readable fixed uuid: `uuid('a', 1)` → 0000000a-0000-4000-8000-000000000001. */
const uuid = (kind: string, n: number) =>
  `${kind.padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;

const user = {
  clean: uuid('a', 1),
  wrongChain: uuid('a', 2),
  disagrees: uuid('a', 3),
  negative: uuid('a', 4),
  oddRows: uuid('a', 5),
  survivor: uuid('a', 6),
  merged: uuid('a', 7),
  noLedger: uuid('a', 8),
  noBalanceRow: uuid('a', 9),
  ledgerOnly: uuid('a', 10),
  mentor: uuid('a', 11),
  notImported: uuid('a', 12),
  nativeAccount: uuid('a', 13),
  mergedIntoNative: uuid('a', 14),
};
const slot = { kept: uuid('5', 1), deleted: uuid('5', 2) };
const NATIVE_USERS = Object.entries(user).filter(
  ([name]) => !['merged', 'notImported', 'mergedIntoNative'].includes(name),
);

/** Ledger rows; ids deliberately run against time order so ordering by id would be wrong. */
type Row = [id: number, userId: string, type: string, tokensUsed: number, before: number, after: number, at: string, slotId?: string, description?: string]; // prettier-ignore
const ROWS: Row[] = [
  [99, user.clean, 'allotment', -10, 0, 10, '2024-01-01 10:00:00'],
  [98, user.clean, 'meeting_booking', 3, 10, 7, '2024-01-02 10:00:00', slot.kept],
  [97, user.wrongChain, 'allotment', -5, 100, 105, '2024-01-01 10:00:00'],
  [96, user.wrongChain, 'meeting_booking', 2, 0, 0, '2024-01-03 10:00:00'],
  [95, user.disagrees, 'allotment', -10, 0, 10, '2024-01-01 10:00:00'],
  [94, user.disagrees, 'penalty', 4, 10, 6, '2024-01-02 10:00:00'],
  [93, user.negative, 'allotment', -2, 0, 2, '2024-01-01 10:00:00'],
  [92, user.negative, 'meeting_booking', 5, 2, -3, '2024-01-02 10:00:00'],
  [91, user.negative, 'refund', -1, -3, -2, '2024-01-03 10:00:00'],
  [90, user.oddRows, 'bonus', -4, 0, 4, '2024-01-01 10:00:00', undefined, 'welcome'],
  [89, user.oddRows, 'meeting_booking', 0, 4, 4, '2024-01-02 10:00:00'],
  [88, user.oddRows, 'meeting_booking', 1, 4, 3, '2024-01-03 10:00:00', slot.deleted],
  [87, user.survivor, 'allotment', -5, 0, 5, '2024-01-01 10:00:00'],
  [86, user.merged, 'allotment', -3, 0, 3, '2024-01-02 10:00:00'],
  [85, user.merged, 'meeting_booking', 1, 3, 2, '2024-01-04 10:00:00'],
  [84, user.ledgerOnly, 'earning', -2, 0, 2, '2024-01-01 10:00:00'],
  [83, user.notImported, 'allotment', -9, 0, 9, '2024-01-01 10:00:00'],
  [82, user.mergedIntoNative, 'allotment', -3, 0, 3, '2024-01-01 10:00:00'],
  [81, user.mergedIntoNative, 'meeting_booking', 1, 3, 2, '2024-01-02 10:00:00'],
];
const BALANCES: [id: number, userId: string, balance: number][] = [
  [1, user.clean, 7],
  [2, user.wrongChain, 3],
  [3, user.disagrees, 9],
  [4, user.negative, -2],
  [5, user.oddRows, 3],
  [6, user.survivor, 5],
  [7, user.merged, 2],
  [8, user.noLedger, 0],
  [9, user.notImported, 9],
  [10, user.mergedIntoNative, 2],
];
const ledgerId = (n: number) => uuid('e', n);
const balanceId = (n: number) => uuid('b', n);

describe('legacy import: wallets, ledger and money reconciliation', () => {
  let database: TestDatabase;

  const walletOf = async (userId: string) =>
    (await database.sql('SELECT balance FROM token_wallets WHERE user_id = $1', [userId])).rows[0]
      ?.balance as number | undefined;
  const ledgerOf = async (userId: string) =>
    (
      await database.sql(
        `SELECT usage_type AS type, delta, balance_before AS before, balance_after AS after
           FROM token_usages WHERE user_id = $1 ORDER BY entry_no`,
        [userId],
      )
    ).rows;
  const outcomesOf = async (legacyId: string) =>
    (
      await database.sql(
        `SELECT table_name, outcome, reason FROM legacy_import.report_items
          WHERE legacy_id = $1 ORDER BY outcome, reason`,
        [legacyId],
      )
    ).rows as { table_name: string; outcome: string; reason: string }[];
  const snapshot = async () => ({
    ledger: (await database.sql('SELECT * FROM token_usages ORDER BY entry_no')).rows,
    wallets: (await database.sql('SELECT * FROM token_wallets ORDER BY user_id')).rows,
    report: await reportedDecisions(database),
  });

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    for (const [name, id] of NATIVE_USERS)
      await database.sql(
        `INSERT INTO users (id, email, password_hash, full_name) VALUES ($1, $2, 'x', $3)`,
        [id, `${name}@legacy.test`, name],
      );
    await database.sql(
      `INSERT INTO legacy_import.user_map (legacy_id, user_id)
       SELECT unnest($1::uuid[]), unnest($2::uuid[])`,
      [
        [...NATIVE_USERS.map(([, id]) => id), user.merged, user.mergedIntoNative],
        [...NATIVE_USERS.map(([, id]) => id), user.survivor, user.nativeAccount],
      ],
    );
    // A native account with its own wallet and ledger that a legacy account was merged into.
    await database.sql(`INSERT INTO token_wallets (user_id, balance) VALUES ($1, 4)`, [
      user.nativeAccount,
    ]);
    await database.sql(
      `INSERT INTO token_usages (user_id, usage_type, delta, balance_before, balance_after)
       VALUES ($1, 'allotment', 4, 0, 4)`,
      [user.nativeAccount],
    );
    await database.sql(
      `INSERT INTO slots (id, mentor_id, starts_at, ends_at, status, price_tokens)
       VALUES ($1, $2, '2024-01-02 10:00Z', '2024-01-02 11:00Z', 'completed', 3)`,
      [slot.kept, user.mentor],
    );
    for (const [n, userId, type, tokensUsed, before, after, at, slotId, description] of ROWS)
      await database.sql(
        `INSERT INTO legacy_import.token_usage
           (id, "userId", "slotId", "usageType", "tokensUsed", "balanceBefore", "balanceAfter", description, "createdAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          ledgerId(n),
          userId,
          slotId ?? null,
          type,
          tokensUsed,
          before,
          after,
          description ?? null,
          at,
        ],
      );
    for (const [n, userId, balance] of BALANCES)
      await database.sql(
        `INSERT INTO legacy_import.tokens (id, "userId", balance, "createdAt", "updatedAt")
         VALUES ($1, $2, $3, '2023-12-01 09:00:00', '2024-01-05 09:00:00')`,
        [balanceId(n), userId, balance],
      );
    await runPhases(database, moneyPhases, CONTEXT);
  });

  afterAll(() => database.drop());

  it('leaves books that satisfy every native ledger invariant', async () => {
    expect(await ledgerViolations(database)).toEqual([]);
  });

  it('ends every wallet at its legacy balance, one wallet per imported user', async () => {
    const wallets = await database.sql('SELECT user_id, balance FROM token_wallets');
    expect(Object.fromEntries(wallets.rows.map((w) => [w.user_id, w.balance]))).toEqual({
      [user.clean]: 7,
      [user.wrongChain]: 3,
      [user.disagrees]: 9,
      [user.negative]: 0,
      [user.oddRows]: 3,
      [user.survivor]: 7,
      [user.noLedger]: 0,
      [user.noBalanceRow]: 0,
      [user.ledgerOnly]: 2,
      [user.mentor]: 0,
      [user.nativeAccount]: 6,
    });
  });

  it('imports a clean chain as it was, in time order, keeping ids, slot and wall-clock time', async () => {
    expect(await ledgerOf(user.clean)).toEqual([
      { type: 'allotment', delta: 10, before: 0, after: 10 },
      { type: 'meeting_booking', delta: -3, before: 10, after: 7 },
    ]);
    const booking = await database.sql(
      `SELECT slot_id, created_at = '2024-01-02 10:00:00+05:30'::timestamptz AS at_wall_clock
         FROM token_usages WHERE id = $1`,
      [ledgerId(98)],
    );
    expect(booking.rows).toEqual([{ slot_id: slot.kept, at_wall_clock: true }]);
    expect(await outcomesOf(ledgerId(98))).toEqual([]);
    expect(await outcomesOf(balanceId(1))).toEqual([]);
  });

  it('recomputes a chain whose stored balances are wrong, and reports each row', async () => {
    expect(await ledgerOf(user.wrongChain)).toEqual([
      { type: 'allotment', delta: 5, before: 0, after: 5 },
      { type: 'meeting_booking', delta: -2, before: 5, after: 3 },
    ]);
    expect(await outcomesOf(ledgerId(97))).toEqual([
      {
        table_name: 'token_usage',
        outcome: 'changed',
        reason: 'balance before/after recomputed from the ledger: legacy 100 -> 105, now 0 -> 5',
      },
    ]);
  });

  it('appends one adjustment where the legacy balance disagrees with the rows', async () => {
    expect(await ledgerOf(user.disagrees)).toEqual([
      { type: 'allotment', delta: 10, before: 0, after: 10 },
      { type: 'penalty', delta: -4, before: 10, after: 6 },
      { type: 'adjustment', delta: 3, before: 6, after: 9 },
    ]);
    expect(await outcomesOf(balanceId(3))).toEqual([
      {
        table_name: 'tokens',
        outcome: 'changed',
        reason:
          'the ledger adds up to 6 but the legacy balance is 9: one adjustment of +3 makes the wallet end at 9',
      },
    ]);
  });

  it('covers a dip below zero before the row and ends a negative balance at 0', async () => {
    expect(await ledgerOf(user.negative)).toEqual([
      { type: 'allotment', delta: 2, before: 0, after: 2 },
      { type: 'adjustment', delta: 3, before: 2, after: 5 },
      { type: 'meeting_booking', delta: -5, before: 5, after: 0 },
      { type: 'refund', delta: 1, before: 0, after: 1 },
      { type: 'adjustment', delta: -1, before: 1, after: 0 },
    ]);
    const dip = await outcomesOf(ledgerId(92));
    expect(dip).toHaveLength(1);
    expect(dip[0].reason).toContain(
      'the old system let the balance go to -3 here: an adjustment of +3 before it keeps it at 0',
    );
    expect(await outcomesOf(balanceId(4))).toEqual([
      {
        table_name: 'tokens',
        outcome: 'changed',
        reason:
          'balance -2 is below zero: counted as 0; the ledger adds up to 1 but the legacy balance is 0: one adjustment of -1 makes the wallet end at 0',
      },
    ]);
  });

  it('maps bonus to allotment, skips a zero row and clears a deleted slot', async () => {
    expect(await ledgerOf(user.oddRows)).toEqual([
      { type: 'allotment', delta: 4, before: 0, after: 4 },
      { type: 'meeting_booking', delta: -1, before: 4, after: 3 },
    ]);
    const rows = await database.sql(
      'SELECT id, note, slot_id FROM token_usages WHERE user_id = $1 ORDER BY entry_no',
      [user.oddRows],
    );
    expect(rows.rows).toEqual([
      { id: ledgerId(90), note: 'legacy bonus: welcome', slot_id: null },
      { id: ledgerId(88), note: null, slot_id: null },
    ]);
    expect(await outcomesOf(ledgerId(90))).toEqual([
      {
        table_name: 'token_usage',
        outcome: 'changed',
        reason: 'usage type bonus does not exist natively: imported as allotment',
      },
    ]);
    expect(await outcomesOf(ledgerId(89))).toEqual([
      {
        table_name: 'token_usage',
        outcome: 'skipped',
        reason: 'tokensUsed is 0: it moves no tokens, and the ledger refuses a zero delta',
      },
    ]);
    expect(await outcomesOf(ledgerId(88))).toEqual([
      {
        table_name: 'token_usage',
        outcome: 'changed',
        reason: `slot ${slot.deleted} no longer exists: kept with slot_id null`,
      },
    ]);
  });

  it("moves a merged account's ledger and balance into the surviving wallet, in time order", async () => {
    expect(await ledgerOf(user.survivor)).toEqual([
      { type: 'allotment', delta: 5, before: 0, after: 5 },
      { type: 'allotment', delta: 3, before: 5, after: 8 },
      { type: 'meeting_booking', delta: -1, before: 8, after: 7 },
    ]);
    expect(await ledgerOf(user.merged)).toEqual([]);
    expect(await walletOf(user.merged)).toBeUndefined();
    const moved = await outcomesOf(ledgerId(86));
    expect(moved.map((item) => item.outcome)).toEqual(['changed', 'merged']);
    expect(moved[1].reason).toBe(
      `belongs to legacy user ${user.merged}, merged into user ${user.survivor}: moved to that wallet`,
    );
    expect(await outcomesOf(balanceId(7))).toEqual([
      {
        table_name: 'tokens',
        outcome: 'merged',
        reason: `balance 2 of legacy user ${user.merged}, merged into user ${user.survivor}: added to that wallet`,
      },
    ]);
  });

  it('continues the wallet of a native account that a legacy account was merged into', async () => {
    expect(await ledgerOf(user.nativeAccount)).toEqual([
      { type: 'allotment', delta: 4, before: 0, after: 4 },
      { type: 'allotment', delta: 3, before: 4, after: 7 },
      { type: 'meeting_booking', delta: -1, before: 7, after: 6 },
    ]);
  });

  it('skips, listed, the money of a user that was not imported', async () => {
    const reason = `its user ${user.notImported} was not imported`;
    expect(await outcomesOf(ledgerId(83))).toEqual([
      { table_name: 'token_usage', outcome: 'skipped', reason },
    ]);
    expect(await outcomesOf(balanceId(9))).toEqual([
      { table_name: 'tokens', outcome: 'skipped', reason },
    ]);
  });

  it('reports a money parity that the adjustments explain', async () => {
    const client = { query: (text: string) => database.sql(text) };
    expect(await moneyParity(client as never)).toEqual({
      legacyBalances: 38,
      negativeBalancesZeroed: { rows: 1, tokens: 2 },
      unimportedBalances: 9,
      ledgerOnlyBalances: 2,
      expectedBalances: 33,
      nativeBalances: 37,
      nativeActivity: 4,
      importedLedger: { rows: 17, tokens: 28 },
      overdraftCovers: { rows: 1, tokens: 3 },
      balanceAdjustments: { rows: 2, tokens: 2 },
      balanced: true,
    });
  });

  it('counts a balance row as imported when its wallet exists', async () => {
    const client = { query: (text: string) => database.sql(text) };
    expect(await countImportedBalanceRows(client as never)).toBe(BALANCES.length - 1);
  });

  it('changes nothing when run again', async () => {
    const before = await snapshot();
    await runPhases(database, moneyPhases, CONTEXT);
    expect(await snapshot()).toEqual(before);
  });
});
