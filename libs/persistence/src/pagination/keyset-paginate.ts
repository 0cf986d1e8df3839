import { type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor } from './keyset-cursor.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page } from './page.js';

export interface KeysetOptions {
  limit?: number;
  cursor?: string;
  /** Entity property of the timestamp to sort by; ties are broken by `id`. Default `createdAt`. */
  sortBy?: string;
  direction?: 'ASC' | 'DESC';
}

/**
 * Keyset pagination: `WHERE (sort, id) < (cursor)` `ORDER BY sort, id`, one extra row to know
 * whether there is a next page. Paging to the end visits every row once, even while rows are
 * inserted, and a deep page costs what the first page costs (given an index on (sort, id)).
 */
export async function paginateByKeyset<T extends ObjectLiteral & { id: string }>(
  query: SelectQueryBuilder<T>,
  options: KeysetOptions,
): Promise<Page<T>> {
  const limit = Math.min(Math.max(options.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  const sortBy = options.sortBy ?? 'createdAt';
  const direction = options.direction ?? 'DESC';
  const alias = query.alias;
  if (options.cursor) {
    const position = decodeCursor(options.cursor);
    const comparison = direction === 'DESC' ? '<' : '>';
    query.andWhere(`(${alias}.${sortBy}, ${alias}.id) ${comparison} (:keysetAt, :keysetId)`, {
      keysetAt: position.at,
      keysetId: position.id,
    });
  }
  const rows = await query
    .orderBy(`${alias}.${sortBy}`, direction)
    .addOrderBy(`${alias}.id`, direction)
    .take(undefined)
    .limit(limit + 1)
    .getMany();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor =
    rows.length > limit && last ? encodeCursor({ at: last[sortBy] as Date, id: last.id }) : null;
  return { items, nextCursor };
}
