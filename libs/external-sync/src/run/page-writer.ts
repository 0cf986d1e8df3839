import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@mas/persistence';
import { type EntityManager } from 'typeorm';
import {
  type FieldKind,
  type ResourceDefinition,
  type SourceDefinition,
} from '../source/resource-definitions.js';
import { type SourceItem } from '../source/source-item.js';

const SQL_TYPES: Record<FieldKind, string> = {
  text: 'text',
  email: 'citext',
  timestamp: 'timestamptz',
  decimal: 'numeric',
  percent: 'smallint',
};

/**
 * Applies a page's items in one statement each for upserts and deletes (arrays through unnest).
 * A row only ever moves forward: an item older than the stored row (by the platform's updated_at)
 * changes nothing, so a page applied again, or a late older version, is harmless.
 */
@Injectable()
export class PageWriter {
  private readonly statements = new Map<string, { upsert: string; remove: string }>();

  constructor(private readonly transactions: TransactionRunner) {}

  async apply(
    tx: EntityManager,
    source: SourceDefinition,
    resource: ResourceDefinition,
    items: SourceItem[],
  ): Promise<void> {
    const latest = latestById(items);
    const live = latest.filter((item) => !item.deleted);
    const gone = latest.filter((item) => item.deleted);
    const sql = this.statementsFor(source, resource);
    if (live.length) {
      const columns = resource.fields.map((_, i) => live.map((item) => item.values[i]));
      await tx.query(sql.upsert, [
        live.map((item) => item.id),
        live.map((item) => item.updatedAt),
        ...columns,
      ]);
    }
    if (gone.length) {
      await tx.query(sql.remove, [gone.map((item) => item.id), gone.map((item) => item.updatedAt)]);
    }
  }

  /** Links rows to users registered since the row came (the upsert links the others). */
  async linkUsers(source: SourceDefinition, resource: ResourceDefinition): Promise<void> {
    if (!resource.userEmailColumn) return;
    await this.transactions.manager().query(
      `UPDATE ${source.schema}.${resource.table} AS row SET user_id = u.id FROM public.users u
        WHERE row.user_id IS NULL AND u.email = row.${resource.userEmailColumn}`,
    );
  }

  private statementsFor(source: SourceDefinition, resource: ResourceDefinition) {
    const key = `${source.schema}.${resource.table}`;
    let sql = this.statements.get(key);
    if (!sql) {
      sql = { upsert: upsertSql(key, resource), remove: deleteSql(key) };
      this.statements.set(key, sql);
    }
    return sql;
  }
}

function upsertSql(table: string, resource: ResourceDefinition): string {
  const columns = ['id', 'updated_at', ...resource.fields.map((field) => field.column)];
  const arrays = [
    '$1::text[]',
    '$2::timestamptz[]',
    ...resource.fields.map((field, i) => `$${i + 3}::${SQL_TYPES[field.kind]}[]`),
  ];
  const link = resource.userEmailColumn;
  const insertColumns = [...columns, ...(link ? ['user_id'] : [])];
  const selected = [...columns.map((column) => `item.${column}`), ...(link ? ['u.id'] : [])];
  const updates = [...insertColumns.slice(1), 'synced_at'].map((column) =>
    column === 'synced_at' ? 'synced_at = now()' : `${column} = EXCLUDED.${column}`,
  );
  return `INSERT INTO ${table} AS row (${insertColumns.join(', ')})
    SELECT ${selected.join(', ')}
      FROM unnest(${arrays.join(', ')}) AS item(${columns.join(', ')})
      ${link ? `LEFT JOIN public.users u ON u.email = item.${link}` : ''}
    ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')}
    WHERE row.updated_at <= EXCLUDED.updated_at`;
}

function deleteSql(table: string): string {
  return `DELETE FROM ${table} AS row USING unnest($1::text[], $2::timestamptz[]) AS gone(id, updated_at)
    WHERE row.id = gone.id AND row.updated_at <= gone.updated_at`;
}

/** One item per id (a row may be touched once per statement): the newest, the later on a tie. */
function latestById(items: SourceItem[]): SourceItem[] {
  const byId = new Map<string, SourceItem>();
  for (const item of items) {
    const seen = byId.get(item.id);
    if (!seen || seen.updatedAt.getTime() <= item.updatedAt.getTime()) byId.set(item.id, item);
  }
  return [...byId.values()];
}
