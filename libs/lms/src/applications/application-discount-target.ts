import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscountTarget, DiscountTargets } from '@mas/finance';
import { EntityManager } from 'typeorm';
import { Application } from '../entities/application.entity.js';

/** Lets finance's discount approval set an application's final amount inside its transaction. */
@Injectable()
export class ApplicationDiscountTarget implements DiscountTarget, OnModuleInit {
  constructor(private readonly targets: DiscountTargets) {}

  onModuleInit(): void {
    this.targets.register(this);
  }

  async lockCurrentPrice(tx: EntityManager, applicationId: string): Promise<string | null> {
    const application = await tx.findOne(Application, {
      where: { id: applicationId },
      lock: { mode: 'pessimistic_write' },
    });
    return application?.finalAmount ?? null;
  }

  async applyApprovedPrice(
    tx: EntityManager,
    applicationId: string,
    approvedPrice: string,
  ): Promise<void> {
    await tx.update(Application, { id: applicationId }, { finalAmount: approvedPrice });
  }
}
