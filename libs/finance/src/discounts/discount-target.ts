import { Injectable } from '@nestjs/common';
import { User } from '@mas/identity';
import { EntityManager, type ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * What a discount applies to. Finance may not depend on the LMS, so the LMS implements this port
 * and registers it; finance calls it inside its own transaction.
 */
export interface DiscountTarget {
  /**
   * Locks the target row and returns its current price, or null when it does not exist or is
   * outside `requester`'s scope (the two must look the same to them).
   */
  lockCurrentPrice(
    tx: EntityManager,
    applicationId: string,
    requester: User,
  ): Promise<string | null>;
  /**
   * Keeps only rows whose target `viewer` may see; `applicationId` is an SQL expression in
   * database column names, e.g. `discount.application_id`.
   */
  restrictToVisible<T extends ObjectLiteral>(
    query: SelectQueryBuilder<T>,
    applicationId: string,
    viewer: User,
  ): SelectQueryBuilder<T>;
  applyApprovedPrice(
    tx: EntityManager,
    applicationId: string,
    approvedPrice: string,
  ): Promise<void>;
}

@Injectable()
export class DiscountTargets {
  private target?: DiscountTarget;

  register(target: DiscountTarget): void {
    this.target = target;
  }

  get(): DiscountTarget {
    // A wiring bug, not a refusal: a 500 whose stack is logged.
    if (!this.target) throw new Error('no discount target is registered');
    return this.target;
  }
}
