import type { TestDatabase } from './test-database.js';

/** A uuid whose last group is `n` (hex), grouped by `kind` (one hex digit), for readable fixtures. */
export function fixtureId(kind: string, n: number): string {
  return `${kind}0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/**
 * What the users phase leaves behind, for phase specs that are not about users: a native user per
 * legacy id (same uuid) with its user_map row, and `merged` legacy ids mapped to another user.
 */
export async function stageImportedUsers(
  database: TestDatabase,
  users: string[],
  merged: Record<string, string> = {},
): Promise<void> {
  await database.sql(
    `INSERT INTO users (id, email, password_hash, full_name)
     SELECT id, id || '@legacy.test', 'not-a-hash', 'Legacy user' FROM unnest($1::uuid[]) AS id`,
    [users],
  );
  await database.sql(
    `INSERT INTO legacy_import.user_map (legacy_id, user_id)
     SELECT id, id FROM unnest($1::uuid[]) AS id
     UNION ALL SELECT * FROM unnest($2::uuid[], $3::uuid[])`,
    [users, Object.keys(merged), Object.values(merged)],
  );
}

/** Every row of `table` in id order, for comparing a run with the next. */
export async function tableRows(database: TestDatabase, table: string): Promise<unknown[]> {
  const { rows } = await database.sql(`SELECT * FROM ${table} ORDER BY 1, 2`);
  return rows;
}

/**
 * Every decision the report lists, each once, in a fixed order. A phase run again without its
 * checkpoints may record a decision a second time (only the runner's checkpoints prevent that);
 * what must not change is the set of decisions.
 */
export async function reportedDecisions(database: TestDatabase): Promise<unknown[]> {
  const { rows } = await database.sql(
    `SELECT DISTINCT table_name, legacy_id, outcome, reason FROM legacy_import.report_items
      ORDER BY 1, 2, 3, 4`,
  );
  return rows;
}

/** The import report's items for one legacy table, keyed by legacy id. */
export async function reportItems(
  database: TestDatabase,
  table: string,
): Promise<Map<string, { outcome: string; reason: string }[]>> {
  const { rows } = await database.sql(
    `SELECT legacy_id, outcome, reason FROM legacy_import.report_items WHERE table_name = $1
      ORDER BY legacy_id, outcome, reason`,
    [table],
  );
  const items = new Map<string, { outcome: string; reason: string }[]>();
  for (const row of rows as { legacy_id: string; outcome: string; reason: string }[]) {
    items.set(row.legacy_id, [
      ...(items.get(row.legacy_id) ?? []),
      { outcome: row.outcome, reason: row.reason },
    ]);
  }
  return items;
}
