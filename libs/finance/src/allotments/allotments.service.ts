import {
  ConflictException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { Page, paginateByKeyset, TransactionRunner } from '@mas/persistence';
import { UsersService } from '@mas/identity';
import { EntityManager } from 'typeorm';
import { AllotmentRequest, AllotmentStatus } from '../entities/allotment-request.entity.js';
import { TokenUsageType } from '../entities/token-usage.entity.js';
import { LedgerService } from '../ledger/ledger.service.js';

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
      throw new UnprocessableEntityException('userId is not a known user');
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
      const request = await this.decide(tx, id, adminId, AllotmentStatus.Approved, null);
      await this.ledger.credit(tx, request.userId, request.tokens, TokenUsageType.Allotment, {
        note: `allotment ${request.id}: ${request.reason}`,
      });
      return request;
    });
  }

  reject(id: string, adminId: string, note: string): Promise<AllotmentRequest> {
    return this.transactions.run((tx) =>
      this.decide(tx, id, adminId, AllotmentStatus.Rejected, note),
    );
  }

  private async decide(
    tx: EntityManager,
    id: string,
    adminId: string,
    status: AllotmentStatus,
    note: string | null,
  ): Promise<AllotmentRequest> {
    const result = await tx
      .createQueryBuilder()
      .update(AllotmentRequest)
      .set({ status, decidedById: adminId, decidedAt: () => 'now()', decisionNote: note })
      .where('id = :id AND status = :pending', { id, pending: AllotmentStatus.Pending })
      .execute();
    if (result.affected) return tx.findOneByOrFail(AllotmentRequest, { id });
    const existing = await tx.findOneBy(AllotmentRequest, { id });
    if (!existing) throw new NotFoundException('allotment request not found');
    throw new ConflictException(`allotment request is already ${existing.status}`);
  }
}
