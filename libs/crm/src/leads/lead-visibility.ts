import { ForbiddenError } from '@mas/domain-errors';
import { type User, UserRole } from '@mas/identity';
import { Brackets, type SelectQueryBuilder } from 'typeorm';
import { type Lead } from '../entities/lead.entity.js';

/**
 * Who sees which leads, as a WHERE clause so it holds for lists, single reads and writes alike:
 * sales their own, a sales head their own and their team's (users whose sales_head_id is them),
 * admins all. Anyone else sees none.
 */
export function restrictToVisibleLeads(
  query: SelectQueryBuilder<Lead>,
  viewer: User,
): SelectQueryBuilder<Lead> {
  const alias = query.alias;
  switch (viewer.role) {
    case UserRole.Admin:
      return query;
    case UserRole.Sales:
      return query.andWhere(`${alias}.ownerId = :viewerId`, { viewerId: viewer.id });
    case UserRole.SalesHead:
      return query.andWhere(
        new Brackets((where) =>
          where
            .where(`${alias}.ownerId = :viewerId`)
            .orWhere(
              `${alias}.ownerId IN (SELECT team.id FROM users team WHERE team.sales_head_id = :viewerId)`,
            ),
        ),
        { viewerId: viewer.id },
      );
    default:
      throw new ForbiddenError('leads are for sales, sales heads and admins');
  }
}
