import type { SqlClient } from '../import-phase.js';

export interface Checkpoint {
  lastKey: string | null;
  unitsDone: number;
  done: boolean;
}

export async function readCheckpoint(client: SqlClient, step: string): Promise<Checkpoint> {
  const { rows } = await client.query<{
    last_key: string | null;
    units_done: string;
    done: boolean;
  }>(`SELECT last_key, units_done, done FROM legacy_import.checkpoints WHERE step = $1`, [step]);
  const row = rows[0];
  return row
    ? { lastKey: row.last_key, unitsDone: Number(row.units_done), done: row.done }
    : { lastKey: null, unitsDone: 0, done: false };
}

/** Runs in the batch's transaction, so the checkpoint moves exactly when the batch commits. */
export async function saveCheckpoint(
  client: SqlClient,
  step: string,
  checkpoint: Checkpoint,
): Promise<void> {
  await client.query(
    `INSERT INTO legacy_import.checkpoints (step, last_key, units_done, done, updated_at)
     VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (step) DO UPDATE SET last_key = EXCLUDED.last_key,
       units_done = EXCLUDED.units_done, done = EXCLUDED.done, updated_at = now()`,
    [step, checkpoint.lastKey, checkpoint.unitsDone, checkpoint.done],
  );
}
