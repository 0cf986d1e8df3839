import type { ColumnType } from './column-types.js';
import { DEFAULT_SCHEMA, schemaOfKey } from './pg-ast.js';

export interface ColumnInfo {
  type: ColumnType;
  notNull: boolean;
  hasDefault: boolean;
}

export interface ConstraintInfo {
  kind: 'check' | 'foreign-key' | 'unique' | 'primary-key' | 'exclusion' | 'not-null' | 'other';
  /** Columns the constraint proves NOT NULL once validated (CHECK (col IS NOT NULL), NOT NULL col). */
  notNullColumns: string[];
  validated: boolean;
  /** Columns the constraint reads (CHECK expression) or indexes (UNIQUE, PRIMARY KEY, EXCLUDE). */
  columns: string[];
}

export interface TableInfo {
  /** True when the table was never created by a replayed migration (only altered): facts are incomplete. */
  partial: boolean;
  columns: Map<string, ColumnInfo>;
  constraints: Map<string, ConstraintInfo>;
}

interface CatalogState {
  tables: Map<string, TableInfo>;
  enums: Map<string, string[]>;
  /** index key → key of the table it belongs to */
  indexes: Map<string, string>;
  /** index key → columns it covers (key columns, expression and predicate columns) */
  indexColumns: Map<string, string[]>;
  schemas: Set<string>;
  /** Keys of materialized views (nothing but REFRESH writes them). */
  materializedViews: Set<string>;
}

/**
 * What earlier migrations did to the schema, replayed from their SQL without a database.
 * Keys are schema-qualified (`public.users`); see catalog-replay.ts for how statements apply.
 */
export class Catalog {
  private readonly state: CatalogState;

  constructor(state?: CatalogState) {
    this.state = state ?? {
      tables: new Map(),
      enums: new Map(),
      indexes: new Map(),
      indexColumns: new Map(),
      schemas: new Set([DEFAULT_SCHEMA]),
      materializedViews: new Set(),
    };
  }

  clone(): Catalog {
    return new Catalog(structuredClone(this.state));
  }

  table(key: string): TableInfo | undefined {
    return this.state.tables.get(key);
  }

  column(tableKey: string, column: string): ColumnInfo | undefined {
    return this.state.tables.get(tableKey)?.columns.get(column);
  }

  enumValues(key: string): readonly string[] | undefined {
    return this.state.enums.get(key);
  }

  hasEnum(key: string): boolean {
    return this.state.enums.has(key);
  }

  indexTable(key: string): string | undefined {
    return this.state.indexes.get(key);
  }

  hasIndex(key: string): boolean {
    return this.state.indexes.has(key);
  }

  hasSchema(name: string): boolean {
    return this.state.schemas.has(name);
  }

  /** True when a validated constraint already guarantees the column has no NULLs. */
  provesNotNull(tableKey: string, column: string): boolean {
    const table = this.state.tables.get(tableKey);
    if (!table) return false;
    if (table.columns.get(column)?.notNull) return true;
    return [...table.constraints.values()].some(
      (constraint) => constraint.validated && constraint.notNullColumns.includes(column),
    );
  }

  /** Constraints a type change of the column must re-check by scanning the table. */
  checksOnColumn(tableKey: string, column: string): string[] {
    const table = this.state.tables.get(tableKey);
    return [...(table?.constraints ?? [])]
      .filter(
        ([, constraint]) => constraint.kind === 'check' && constraint.columns.includes(column),
      )
      .map(([name]) => name);
  }

  /** Indexes (and index-backed constraints) on the table that cover the column. */
  indexesOnColumn(tableKey: string, column: string): string[] {
    const indexes = [...this.state.indexes]
      .filter(
        ([index, table]) =>
          table === tableKey && (this.state.indexColumns.get(index) ?? []).includes(column),
      )
      .map(([index]) => index);
    const constraints = [...(this.state.tables.get(tableKey)?.constraints ?? [])]
      .filter(
        ([, constraint]) =>
          ['unique', 'primary-key', 'exclusion'].includes(constraint.kind) &&
          constraint.columns.includes(column),
      )
      .map(([name]) => name);
    return [...indexes, ...constraints];
  }

  isMaterializedView(key: string): boolean {
    return this.state.materializedViews.has(key);
  }

  putMaterializedView(key: string): void {
    this.state.materializedViews.add(key);
  }

  dropMaterializedView(key: string): void {
    this.state.materializedViews.delete(key);
    this.dropTable(key);
  }

  putTable(key: string, table: TableInfo): void {
    this.state.tables.set(key, table);
  }

  /** The table, or a partial placeholder for a table no replayed migration created. */
  ensureTable(key: string): TableInfo {
    let table = this.state.tables.get(key);
    if (!table) {
      table = { partial: true, columns: new Map(), constraints: new Map() };
      this.state.tables.set(key, table);
    }
    return table;
  }

  dropTable(key: string): void {
    this.state.tables.delete(key);
    for (const [index, tableKey] of this.state.indexes) {
      if (tableKey === key) this.dropIndex(index);
    }
  }

  moveTable(from: string, to: string): void {
    const table = this.state.tables.get(from);
    if (!table) return;
    this.state.tables.delete(from);
    this.state.tables.set(to, table);
    for (const [index, tableKey] of this.state.indexes) {
      if (tableKey === from) this.state.indexes.set(index, to);
    }
  }

  putEnum(key: string, values: string[]): void {
    this.state.enums.set(key, values);
  }

  dropEnum(key: string): void {
    this.state.enums.delete(key);
  }

  /** Columns reference a type by OID in Postgres, so they follow a renamed type. */
  renameEnum(from: string, to: string): void {
    const values = this.state.enums.get(from);
    if (!values) return;
    this.state.enums.delete(from);
    this.state.enums.set(to, values);
    for (const table of this.state.tables.values()) {
      for (const column of table.columns.values()) {
        if (column.type.name === from) column.type = { ...column.type, name: to };
      }
    }
  }

  putIndex(key: string, tableKey: string, columns: string[]): void {
    this.state.indexes.set(key, tableKey);
    this.state.indexColumns.set(key, columns);
  }

  dropIndex(key: string): void {
    this.state.indexes.delete(key);
    this.state.indexColumns.delete(key);
  }

  renameIndex(from: string, to: string): void {
    const tableKey = this.state.indexes.get(from);
    if (tableKey === undefined) return;
    const columns = this.state.indexColumns.get(from) ?? [];
    this.dropIndex(from);
    this.putIndex(to, tableKey, columns);
  }

  putSchema(name: string): void {
    this.state.schemas.add(name);
  }

  dropSchema(name: string): void {
    this.state.schemas.delete(name);
    const inSchema = (key: string): boolean => schemaOfKey(key) === name;
    [...this.state.tables.keys()].filter(inSchema).forEach((key) => this.dropTable(key));
    [...this.state.enums.keys()].filter(inSchema).forEach((key) => this.dropEnum(key));
  }
}
