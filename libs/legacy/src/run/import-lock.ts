import type { SqlClient } from '../import-phase.js';

/** Two imports into one database at once would interleave their batches; the second one stops. */
export class ImportBusyError extends Error {
  override readonly name = 'ImportBusyError';
}

const LOCK = 'mas:legacy-import';

export async function withImportLock<T>(client: SqlClient, work: () => Promise<T>): Promise<T> {
  const { rows } = await client.query<{ locked: boolean }>(
    'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
    [LOCK],
  );
  if (!rows[0].locked)
    throw new ImportBusyError(
      'another legacy:import is running on this database; wait for it to end',
    );
  try {
    return await work();
  } finally {
    // A session that broke mid-import lost its lock anyway; keep the error that broke it.
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK]).catch(() => undefined);
  }
}
