import type { SqlClient } from '../import-phase.js';

/** How the runner brackets a batch: its own transaction, or nothing inside a dry run's one. */
export interface BatchTransactions {
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export function ownTransactions(client: SqlClient): BatchTransactions {
  return {
    begin: async () => void (await client.query('BEGIN')),
    commit: async () => void (await client.query('COMMIT')),
    rollback: async () => void (await client.query('ROLLBACK')),
  };
}

/**
 * A dry run does all of its work in one transaction that is rolled back at the end, so the target
 * (checkpoints included) is left exactly as it was; its batches only need no brackets of their own.
 */
const nothing = () => Promise.resolve();
export const insideOuterTransaction: BatchTransactions = {
  begin: nothing,
  commit: nothing,
  rollback: nothing,
};
