import { Injectable } from '@nestjs/common';
import { ConflictError, RuleViolationError } from '@mas/domain-errors';
import { User } from '@mas/identity';
import {
  moneyToCents,
  type Page,
  paginateByKeyset,
  PgCode,
  postgresErrorOf,
  TransactionRunner,
  updateIfStatus,
} from '@mas/persistence';
import { DiscountRequest, DiscountStatus } from '../entities/discount-request.entity.js';
import { DiscountTargets } from './discount-target.js';

export interface NewDiscountRequest {
  applicationId: string;
  requestedPrice: string;
  note?: string;
}

@Injectable()
export class DiscountsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly targets: DiscountTargets,
  ) {}

  /**
   * One pending request per application: a second is a 409 (partial unique index). An application
   * outside the requester's scope is answered like an unknown one.
   */
  request(input: NewDiscountRequest, requester: User): Promise<DiscountRequest> {
    return this.transactions.run(async (tx) => {
      const currentPrice = await this.targets
        .get()
        .lockCurrentPrice(tx, input.applicationId, requester);
      if (currentPrice === null)
        throw new RuleViolationError('applicationId is not a known application');
      if (moneyToCents(input.requestedPrice) >= moneyToCents(currentPrice)) {
        throw new RuleViolationError(
          `requestedPrice must be below the current price ${currentPrice}`,
        );
      }
      const requests = tx.getRepository(DiscountRequest);
      try {
        return await requests.save(
          requests.create({
            applicationId: input.applicationId,
            requestedPrice: input.requestedPrice,
            note: input.note ?? null,
            requestedById: requester.id,
          }),
        );
      } catch (error) {
        if (postgresErrorOf(error)?.code === PgCode.uniqueViolation) {
          throw new ConflictError('this application already has a pending discount request');
        }
        throw error;
      }
    });
  }

  /** Only requests on applications the viewer may see. */
  list(
    status: DiscountStatus | undefined,
    page: { limit?: number; cursor?: string },
    viewer: User,
  ): Promise<Page<DiscountRequest>> {
    const query = this.targets
      .get()
      .restrictToVisible(
        this.transactions.manager().createQueryBuilder(DiscountRequest, 'discount'),
        'discount.application_id',
        viewer,
      );
    if (status) query.andWhere('discount.status = :status', { status });
    return paginateByKeyset(query, page);
  }

  /** Approves and sets the application's final amount in the same transaction. */
  approve(id: string, approvedPrice: string, adminId: string): Promise<DiscountRequest> {
    return this.transactions.run(async (tx) => {
      const request = await updateIfStatus(
        tx,
        DiscountRequest,
        id,
        DiscountStatus.Pending,
        {
          status: DiscountStatus.Approved,
          approvedPrice,
          decidedById: adminId,
          decidedAt: () => 'now()',
        },
        'discount request',
      );
      await this.targets.get().applyApprovedPrice(tx, request.applicationId, approvedPrice);
      return request;
    });
  }

  reject(id: string, note: string, adminId: string): Promise<DiscountRequest> {
    return this.transactions.run((tx) =>
      updateIfStatus(
        tx,
        DiscountRequest,
        id,
        DiscountStatus.Pending,
        {
          status: DiscountStatus.Rejected,
          decisionNote: note,
          decidedById: adminId,
          decidedAt: () => 'now()',
        },
        'discount request',
      ),
    );
  }
}
