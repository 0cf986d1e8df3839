import type pg from 'pg';

export interface TableEntry {
  schema: string;
  name: string;
  /** Stored columns in attribute order (generated columns are computed again on restore). */
  columns: string[];
}

export interface SequenceEntry {
  schema: string;
  name: string;
  /** null: never used (restored with is_called = false). */
  lastValue: string | null;
}

/**
 * The schemas a backup covers: every schema but the system ones, so the five product schemas,
 * legacy_import and any later one are all in.
 */
const USER_SCHEMAS = `n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'`;

/** TypeORM's record of applied migrations: rebuilt by migrating the target, never copied. */
const MIGRATIONS_TABLE = { schema: 'public', name: 'migrations' };

export function quoteName(schema: string, name: string): string {
  return `"${schema.replaceAll('"', '""')}"."${name.replaceAll('"', '""')}"`;
}

export function tableKey(table: { schema: string; name: string }): string {
  return `${table.schema}.${table.name}`;
}

/**
 * The tables that hold rows (ordinary tables and partitions; a partitioned parent holds none),
 * ordered so that a table comes after the tables its foreign keys point at.
 */
export async function listTables(client: pg.ClientBase): Promise<TableEntry[]> {
  const { rows } = await client.query<{
    oid: number;
    schema: string;
    name: string;
    columns: string[];
  }>(`
    SELECT c.oid::int AS oid, n.nspname::text AS schema, c.relname::text AS name,
           array_agg(a.attname::text ORDER BY a.attnum) AS columns
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                         AND a.attgenerated = ''
     WHERE c.relkind = 'r' AND c.relpersistence = 'p' AND ${USER_SCHEMAS}
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
     GROUP BY c.oid, n.nspname, c.relname
     ORDER BY n.nspname, c.relname`);
  const { rows: references } = await client.query<{ child: number; parent: number }>(`
    SELECT DISTINCT conrelid::int AS child, confrelid::int AS parent
      FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid`);
  const tables = rows.filter(
    (row) => !(row.schema === MIGRATIONS_TABLE.schema && row.name === MIGRATIONS_TABLE.name),
  );
  return parentsFirst(tables, references).map(({ schema, name, columns }) => ({
    schema,
    name,
    columns,
  }));
}

/** Kahn's order over the foreign keys; tables in a cycle keep their name order at the end. */
function parentsFirst<T extends { oid: number }>(
  tables: T[],
  references: { child: number; parent: number }[],
): T[] {
  const known = new Set(tables.map((table) => table.oid));
  const parents = new Map<number, Set<number>>(tables.map((table) => [table.oid, new Set()]));
  for (const { child, parent } of references) {
    if (known.has(child) && known.has(parent)) parents.get(child)!.add(parent);
  }
  const ordered: T[] = [];
  const placed = new Set<number>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const table of tables) {
      if (placed.has(table.oid)) continue;
      if ([...parents.get(table.oid)!].every((parent) => placed.has(parent))) {
        ordered.push(table);
        placed.add(table.oid);
        progress = true;
      }
    }
  }
  return [...ordered, ...tables.filter((table) => !placed.has(table.oid))];
}

/** Every sequence's position, as this transaction's snapshot sees it. */
export async function listSequences(client: pg.ClientBase): Promise<SequenceEntry[]> {
  const { rows } = await client.query<SequenceEntry>(`
    SELECT s.schemaname AS schema, s.sequencename AS name, s.last_value::text AS "lastValue"
      FROM pg_sequences s JOIN pg_namespace n ON n.nspname = s.schemaname
     WHERE ${USER_SCHEMAS}
     ORDER BY 1, 2`);
  return rows;
}
