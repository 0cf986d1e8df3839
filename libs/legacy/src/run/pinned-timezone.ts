import type { SqlClient } from '../import-phase.js';

/** A resumed or repeated import was started with another --legacy-timezone than the first run. */
export class TimezoneMismatchError extends Error {
  override readonly name = 'TimezoneMismatchError';
}

const STEP = 'setting:legacy-timezone';

/**
 * The first run records its --legacy-timezone among the checkpoints; later runs must use the same
 * zone, or rows imported before and after a restart would read the old wall-clock times two ways.
 */
export async function pinLegacyTimezone(client: SqlClient, timezone: string): Promise<void> {
  await client.query(
    `INSERT INTO legacy_import.checkpoints (step, last_key, done) VALUES ($1, $2, true)
     ON CONFLICT (step) DO NOTHING`,
    [STEP, timezone],
  );
  const { rows } = await client.query<{ last_key: string }>(
    `SELECT last_key FROM legacy_import.checkpoints WHERE step = $1`,
    [STEP],
  );
  const pinned = rows[0].last_key;
  if (pinned !== timezone)
    throw new TimezoneMismatchError(
      `this database's legacy import started with --legacy-timezone ${pinned}; run it again with ` +
        `that zone (another one would read the old timestamps two ways)`,
    );
}
