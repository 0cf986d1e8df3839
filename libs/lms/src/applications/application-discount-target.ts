import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type DiscountTarget, DiscountTargets } from '@mas/finance';
import { User } from '@mas/identity';
import { EntityManager, type ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Application } from '../entities/application.entity.js';
import { ApplicationScope } from './application-scope.js';

/**
 * Lets finance's discount approval set an application's final amount inside its transaction, and
 * keeps discount requests within the requester's ApplicationScope.
 */
@Injectable()
export class ApplicationDiscountTarget implements DiscountTarget, OnModuleInit {
  constructor(
    private readonly targets: DiscountTargets,
    private readonly scope: ApplicationScope,
  ) {}

  onModuleInit(): void {
    this.targets.register(this);
  }

  async lockCurrentPrice(
    tx: EntityManager,
    applicationId: string,
    requester: User,
  ): Promise<string | null> {
    const application = await this.restrictToVisible(
      tx.createQueryBuilder(Application, 'application'),
      'application.id',
      requester,
    )
      .andWhere('application.id = :applicationId', { applicationId })
      .setLock('pessimistic_write')
      .getOne();
    return application?.finalAmount ?? null;
  }

  restrictToVisible<T extends ObjectLiteral>(
    query: SelectQueryBuilder<T>,
    applicationId: string,
    viewer: User,
  ): SelectQueryBuilder<T> {
    return this.scope.restrict(query, applicationId, viewer);
  }

  async applyApprovedPrice(
    tx: EntityManager,
    applicationId: string,
    approvedPrice: string,
  ): Promise<void> {
    await tx.update(Application, { id: applicationId }, { finalAmount: approvedPrice });
  }
}
