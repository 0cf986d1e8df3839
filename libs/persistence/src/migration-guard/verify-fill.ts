import type pg from 'pg';

const ROWS_PER_TABLE = 2;

interface ColumnRow {
  table_name: string;
  column_name: string;
  position: number;
  type_sql: string;
  base_type: string;
  category: string;
  not_null: boolean;
  /** Has a default, is an identity or is generated: left to Postgres. */
  defaulted: boolean;
  ref_table: string | null;
  ref_column: string | null;
}

/**
 * Puts a few rows into every empty user table, parents before children, so that --verify sees
 * what a statement does to a table with data (a rewrite, a validating scan, a failing NOT NULL).
 * Values come from column defaults, else from the column's type; a foreign key takes a row of the
 * referenced table. Returns notes on tables that could not be filled; nothing here fails the run.
 */
export async function fillEmptyTables(
  client: pg.Client,
  /** Tables already tried: one that could not be filled is not tried (nor reported) again. */
  tried: Set<string>,
): Promise<string[]> {
  const columns = (await client.query<ColumnRow>(COLUMNS_OF_EMPTY_TABLES)).rows;
  const byTable = new Map<string, ColumnRow[]>();
  for (const column of columns) {
    byTable.set(column.table_name, [...(byTable.get(column.table_name) ?? []), column]);
  }
  const notes: string[] = [];
  for (const table of dependencyOrder(byTable)) {
    if (tried.has(table) || !(await isEmpty(client, table))) continue;
    tried.add(table);
    const tableColumns = byTable.get(table) ?? [];
    let inserted = 0;
    let lastError = '';
    for (let row = 1; row <= ROWS_PER_TABLE; row++) {
      try {
        await client.query(insertStatement(table, tableColumns, row));
        inserted++;
      } catch (error: unknown) {
        lastError = error instanceof Error ? error.message : String(error);
      }
    }
    if (inserted === 0) notes.push(`could not fill ${table}: ${lastError}`);
  }
  return notes;
}

async function isEmpty(client: pg.Client, table: string): Promise<boolean> {
  const result = await client.query(`SELECT 1 FROM ${table} LIMIT 1`);
  return result.rowCount === 0;
}

function insertStatement(table: string, columns: ColumnRow[], row: number): string {
  const given = columns.filter((column) => !column.defaulted);
  if (given.length === 0) return `INSERT INTO ${table} DEFAULT VALUES`;
  const names = given.map((column) => quoteIdent(column.column_name)).join(', ');
  const values = given.map((column) => valueFor(column, row)).join(', ');
  return `INSERT INTO ${table} (${names}) VALUES (${values})`;
}

function valueFor(column: ColumnRow, row: number): string {
  if (column.ref_table !== null && column.ref_column !== null) {
    return `(SELECT ${quoteIdent(column.ref_column)} FROM ${column.ref_table} LIMIT 1)`;
  }
  const literal = typedLiteral(column, row);
  return literal === undefined ? 'NULL' : `CAST(${literal} AS ${column.type_sql})`;
}

/** A value of the column's (base) type; `row` keeps unique columns apart. */
function typedLiteral(column: ColumnRow, row: number): string | undefined {
  switch (column.base_type) {
    case 'uuid':
      return 'gen_random_uuid()';
    case 'json':
    case 'jsonb':
      return `'{"row": ${row}}'`;
    case 'bytea':
      return `'\\x0${row}'`;
  }
  switch (column.category) {
    case 'N':
      return `${row}`;
    case 'S':
      return `'${row}'`;
    case 'B':
      return row % 2 === 1 ? 'true' : 'false';
    case 'D':
      // Later columns get later times: starts_at < ends_at style CHECKs hold.
      return `now() + interval '${row} day' + interval '${column.position} minute'`;
    case 'T':
      return `interval '${row} day'`;
    case 'E':
      return `(enum_range(NULL::${column.type_sql}))[1]`;
    case 'A':
      return `'{}'`;
    case 'I':
      return `'10.0.0.${row}'`;
    default:
      return undefined;
  }
}

/** Referenced tables first; cycles and self-references are broken arbitrarily. */
function dependencyOrder(byTable: Map<string, ColumnRow[]>): string[] {
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string): void => {
    if (visiting.has(table) || ordered.includes(table)) return;
    visiting.add(table);
    for (const column of byTable.get(table) ?? []) {
      if (column.ref_table !== null && byTable.has(column.ref_table)) visit(column.ref_table);
    }
    ordered.push(table);
  };
  for (const table of byTable.keys()) visit(table);
  return ordered;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Columns of ordinary tables outside the system schemas, with single-column FK targets. */
const COLUMNS_OF_EMPTY_TABLES = `
  SELECT c.oid::regclass::text AS table_name,
         a.attname AS column_name,
         a.attnum::int AS position,
         format_type(a.atttypid, a.atttypmod) AS type_sql,
         bt.typname AS base_type,
         bt.typcategory AS category,
         a.attnotnull AS not_null,
         (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS defaulted,
         fk.confrelid::regclass::text AS ref_table,
         ra.attname AS ref_column
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    JOIN pg_type t ON t.oid = a.atttypid
    JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
    LEFT JOIN LATERAL (
      SELECT con.confrelid, con.confkey[1] AS refnum FROM pg_constraint con
       WHERE con.conrelid = c.oid AND con.contype = 'f'
         AND array_length(con.conkey, 1) = 1 AND con.conkey[1] = a.attnum
       LIMIT 1) fk ON true
    LEFT JOIN pg_attribute ra ON ra.attrelid = fk.confrelid AND ra.attnum = fk.refnum
   WHERE c.relkind IN ('r', 'p')
     AND NOT c.relispartition
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname NOT LIKE 'pg\\_%'
     AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)
   ORDER BY c.oid, a.attnum`;
