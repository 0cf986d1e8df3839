import type { SqlClient } from './import-phase.js';

/** The characters legacy text is trimmed of (btrim's second argument). */
export const TRIMMED_WHITESPACE = ` \t\r\n`;

/** How many rows a staging table holds: the progress total of a phase that walks it by id. */
export async function countStaged(client: SqlClient, table: string): Promise<number> {
  const { rows } = await client.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM legacy_import."${table}"`,
  );
  return rows[0].count;
}
