import type { SqlClient } from '../import-phase.js';
import { LEGACY_TABLES } from './legacy-tables.js';
import { LegacySourceError } from './legacy-source-error.js';

interface ColumnRow {
  table_name: string;
  column_name: string;
}

/**
 * Fails unless every legacy table exists on the source with every column its staging table has
 * (the staging tables in the target are the contract's column lists). Extra source columns are
 * fine: the copy ignores them.
 */
export async function checkLegacySource(source: SqlClient, target: SqlClient): Promise<void> {
  const expected = await target.query<ColumnRow>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'legacy_import' AND table_name = ANY($1::text[])
      ORDER BY ordinal_position`,
    [LEGACY_TABLES.map((table) => table.name)],
  );
  const present = await source.query<{ name: string; column_name: string }>(
    `SELECT t.name, c.column_name FROM information_schema.columns c
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS t(name, schema_name, table_name)
         ON c.table_schema = t.schema_name AND c.table_name = t.table_name`,
    [
      LEGACY_TABLES.map((table) => table.name),
      LEGACY_TABLES.map((table) => table.source.schema),
      LEGACY_TABLES.map((table) => table.source.table),
    ],
  );
  const sourceColumns = new Map<string, Set<string>>();
  for (const { name, column_name } of present.rows)
    sourceColumns.set(name, (sourceColumns.get(name) ?? new Set()).add(column_name));
  const problems: string[] = [];
  for (const table of LEGACY_TABLES) {
    const columns = sourceColumns.get(table.name);
    const where = `${table.source.schema}.${table.source.table}`;
    if (!columns) {
      problems.push(`table ${where} is missing`);
      continue;
    }
    const missing = expected.rows
      .filter((row) => row.table_name === table.name && !columns.has(row.column_name))
      .map((row) => `"${row.column_name}"`);
    if (missing.length) problems.push(`${where} lacks column(s) ${missing.join(', ')}`);
  }
  if (problems.length)
    throw new LegacySourceError(
      `the --from database does not look like the old MAS backend's schema: ${problems.join('; ')}`,
    );
}
