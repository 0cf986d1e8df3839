import { Injectable } from '@nestjs/common';
import { RuleViolationError } from '@mas/domain-errors';
import { type Page, paginateByKeyset, TransactionRunner, updateIfStatus } from '@mas/persistence';
import { UsersService } from '@mas/identity';
import { AllotmentRequest, AllotmentStatus } from '../entities/allotment-request.entity.js';
import { TokenUsageType } from '../entities/token-usage.entity.js';
import { LedgerService } from '../ledger/ledger.service.js';

const DECIDED = (status: AllotmentStatus, decidedById: string, decisionNote: string | null) => ({
  status,
  decidedById,
  decisionNote,
  decidedAt: () => 'now()',
});

export interface NewAllotment {
  userId: string;
  tokens: number;
  reason: string;
}

@Injectable()
export class AllotmentsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly ledger: LedgerService,
    private readonly users: UsersService,
  ) {}

  async request(input: NewAllotment, requestedById: string): Promise<AllotmentRequest> {
    if (!(await this.users.findById(input.userId)))
      throw new RuleViolationError('userId is not a known user');
    const repository = this.transactions.manager().getRepository(AllotmentRequest);
    return repository.save(repository.create({ ...input, requestedById }));
  }

  list(
    status: AllotmentStatus | undefined,
    page: { limit?: number; cursor?: string },
  ): Promise<Page<AllotmentRequest>> {
    const query = this.transactions.manager().createQueryBuilder(AllotmentRequest, 'allotment');
    if (status) query.where('allotment.status = :status', { status });
    return paginateByKeyset(query, page);
  }

  /**
   * Credits the tokens exactly once: the conditional UPDATE takes the request's row lock, so a
   * concurrent second approval waits, then finds it no longer pending (409).
   */
  approve(id: string, adminId: string): Promise<AllotmentRequest> {
    return this.transactions.run(async (tx) => {
      const request = await updateIfStatus(
        tx,
        AllotmentRequest,
        id,
        AllotmentStatus.Pending,
        DECIDED(AllotmentStatus.Approved, adminId, null),
        'allotment request',
      );
      await this.ledger.credit(tx, request.userId, request.tokens, TokenUsageType.Allotment, {
        note: `allotment ${request.id}: ${request.reason}`,
      });
      return request;
    });
  }

  reject(id: string, adminId: string, note: string): Promise<AllotmentRequest> {
    return this.transactions.run((tx) =>
      updateIfStatus(
        tx,
        AllotmentRequest,
        id,
        AllotmentStatus.Pending,
        DECIDED(AllotmentStatus.Rejected, adminId, note),
        'allotment request',
      ),
    );
  }
}
