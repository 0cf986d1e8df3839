import { ConflictError, NotFoundError } from '@mas/domain-errors';
import { type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';

/**
 * Moves a row out of `expected` status with one conditional UPDATE. The UPDATE takes the row lock,
 * so of two concurrent callers exactly one wins; the other gets a ConflictError naming the row's
 * status (or a NotFoundError when there is no such row). Returns the updated row.
 */
export async function updateIfStatus<T extends ObjectLiteral & { status: string }>(
  tx: EntityManager,
  entity: EntityTarget<T>,
  id: string,
  expected: T['status'],
  changes: QueryDeepPartialEntity<T>,
  label: string,
): Promise<T> {
  const result = await tx
    .createQueryBuilder()
    .update(entity)
    .set(changes)
    .where('id = :id AND status = :expected', { id, expected })
    .execute();
  const row = await tx.getRepository(entity).findOneBy({ id } as never);
  if (!row) throw new NotFoundError(`${label} not found`);
  if (!result.affected) throw new ConflictError(`${label} is already ${row.status}`);
  return row;
}
