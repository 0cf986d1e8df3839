import { Injectable, InternalServerErrorException } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * What a discount applies to. Finance may not depend on the LMS, so the LMS implements this port
 * and registers it; finance calls it inside its own transaction.
 */
export interface DiscountTarget {
  /** Locks the target row and returns its current price, or null when it does not exist. */
  lockCurrentPrice(tx: EntityManager, applicationId: string): Promise<string | null>;
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
    if (!this.target) throw new InternalServerErrorException('no discount target is registered');
    return this.target;
  }
}
