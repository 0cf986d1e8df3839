import { Injectable } from '@nestjs/common';
import { User, UserRole } from '@mas/identity';
import { type ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * The sales side of the rule: which applications a sales user or sales head may see and act on.
 * It is the CRM's lead visibility (an application is in scope when its lead is), and the LMS may
 * not depend on the CRM, so the CRM implements this port and registers it (like DiscountTarget).
 */
export interface SalesApplicationRule {
  /**
   * Keeps only rows whose application `viewer` may see. `applicationId` is an SQL expression of
   * type uuid in database column names over the query's aliases, e.g. `pap.application_id` (it
   * ends up in a subquery, where TypeORM does not translate property names); null matches nothing.
   */
  restrict<T extends ObjectLiteral>(
    query: SelectQueryBuilder<T>,
    applicationId: string,
    viewer: User,
  ): SelectQueryBuilder<T>;
}

/**
 * Who may see and act on which applications, as a WHERE clause so lists, reads and locked writes
 * share it: admins all, students their own, sales and sales heads those whose CRM lead they may
 * see, anyone else none. Callers answer 404 for an application outside the scope.
 */
@Injectable()
export class ApplicationScope {
  private salesRule?: SalesApplicationRule;

  register(rule: SalesApplicationRule): void {
    this.salesRule = rule;
  }

  restrict<T extends ObjectLiteral>(
    query: SelectQueryBuilder<T>,
    applicationId: string,
    viewer: User,
  ): SelectQueryBuilder<T> {
    switch (viewer.role) {
      case UserRole.Admin:
        return query;
      case UserRole.Student:
        return query.andWhere(
          `EXISTS (SELECT 1 FROM applications own WHERE own.id = ${applicationId} AND own.user_id = :scopeStudentId)`,
          { scopeStudentId: viewer.id },
        );
      case UserRole.Sales:
      case UserRole.SalesHead:
        // Fail closed: without the CRM's rule no sales user sees any application (a wiring bug:
        // a 500 whose stack is logged).
        if (!this.salesRule) throw new Error('no sales application rule is registered');
        return this.salesRule.restrict(query, applicationId, viewer);
      default:
        return query.andWhere('1 = 0');
    }
  }
}
