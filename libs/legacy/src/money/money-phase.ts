import type { ImportPhase, SqlClient } from '../import-phase.js';
import { reportBatchOutcomes, reportUnmappedOwners } from './report-money.js';
import { computeWalletChains } from './wallet-chains.js';
import { writeWalletsAndLedger } from './write-ledger.js';

const NEXT_USERS = `
  SELECT DISTINCT user_id FROM legacy_import.user_map WHERE user_id > $1::uuid ORDER BY user_id LIMIT $2`;
const FIRST_USERS = `
  SELECT DISTINCT user_id FROM legacy_import.user_map ORDER BY user_id LIMIT $1`;

async function nextUserIds(client: SqlClient, afterKey: string | null, count: number) {
  const { rows } = afterKey
    ? await client.query<{ user_id: string }>(NEXT_USERS, [afterKey, count])
    : await client.query<{ user_id: string }>(FIRST_USERS, [count]);
  return rows.map((row) => row.user_id);
}

/**
 * Wallets, ledger and money reconciliation (legacy `tokens` + `token_usage`). The key is the
 * surviving user id: a batch imports the next users' whole wallets, the rows of every legacy
 * account merged into each user included, set-based.
 */
export const moneyPhase: ImportPhase = {
  name: 'money',

  async total(client) {
    const { rows } = await client.query<{ count: string }>(
      'SELECT count(DISTINCT user_id) AS count FROM legacy_import.user_map',
    );
    return Number(rows[0]?.count ?? 0);
  },

  async runBatch(client, afterKey, context) {
    if (afterKey === null) await reportUnmappedOwners(client);
    const userIds = await nextUserIds(client, afterKey, context.batchSize);
    if (!userIds.length) return { lastKey: afterKey, units: 0 };
    await computeWalletChains(client, userIds, context.timezone);
    await writeWalletsAndLedger(client);
    await reportBatchOutcomes(client);
    return { lastKey: userIds[userIds.length - 1], units: userIds.length };
  },
};
