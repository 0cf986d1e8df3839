import type { ConcurrentSteps, ImportPhase, SqlClient } from '../import-phase.js';
import { reportBatchOutcomes, reportUnmappedOwners } from './report-money.js';
import { computeWalletChains } from './wallet-chains.js';
import { writeWalletsAndLedger } from './write-ledger.js';

/**
 * How many parts the money phase runs as, over disjoint ranges of user ids: wallets share no rows
 * and no locks, so the import runs the parts at the same time where it has connections for them.
 * A power of two up to 16 (the ranges split on the id's first hex digit).
 */
export const MONEY_PARTS = 2;

/** Users of the range, after `afterKey`, in id order; the bounds are null where the range is open. */
const RANGE_USERS = `
  SELECT DISTINCT user_id FROM legacy_import.user_map
   WHERE ($1::uuid IS NULL OR user_id > $1::uuid)
     AND ($3::uuid IS NULL OR user_id >= $3::uuid) AND ($4::uuid IS NULL OR user_id < $4::uuid)
   ORDER BY user_id LIMIT $2`;
const RANGE_TOTAL = `
  SELECT count(DISTINCT user_id) AS count FROM legacy_import.user_map
   WHERE ($1::uuid IS NULL OR user_id >= $1::uuid) AND ($2::uuid IS NULL OR user_id < $2::uuid)`;

/** The first id of part `index` of `parts` (null for the first part, and as the end of the last). */
function rangeStart(index: number, parts: number): string | null {
  if (index === 0 || index === parts) return null;
  return `${((16 * index) / parts).toString(16)}0000000-0000-0000-0000-000000000000`;
}

/**
 * Wallets, ledger and money reconciliation (legacy `tokens` + `token_usage`) of the users in one
 * id range. The key is the surviving user id: a batch imports the next users' whole wallets, the
 * rows of every legacy account merged into each user included, set-based.
 */
function moneyPart(index: number, parts: number): ImportPhase {
  const [from, to] = [rangeStart(index, parts), rangeStart(index + 1, parts)];
  const nextUserIds = async (client: SqlClient, afterKey: string | null, count: number) => {
    const { rows } = await client.query<{ user_id: string }>(RANGE_USERS, [
      afterKey,
      count,
      from,
      to,
    ]);
    return rows.map((row) => row.user_id);
  };
  return {
    name: `money:${index + 1}/${parts}`,

    async total(client) {
      const { rows } = await client.query<{ count: string }>(RANGE_TOTAL, [from, to]);
      return Number(rows[0]?.count ?? 0);
    },

    async runBatch(client, afterKey, context) {
      // Once per import: the first part's first batch.
      if (afterKey === null && index === 0) await reportUnmappedOwners(client);
      const userIds = await nextUserIds(client, afterKey, context.batchSize);
      if (!userIds.length) return { lastKey: afterKey, units: 0 };
      await computeWalletChains(client, userIds, context.timezone);
      await writeWalletsAndLedger(client);
      await reportBatchOutcomes(client);
      return { lastKey: userIds[userIds.length - 1], units: userIds.length };
    },
  };
}

export const moneySteps: ConcurrentSteps = {
  name: 'money',
  concurrent: Array.from({ length: MONEY_PARTS }, (_, index) => moneyPart(index, MONEY_PARTS)),
};
