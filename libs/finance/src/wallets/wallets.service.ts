import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@mas/domain-errors';
import { type Page, paginateByKeyset, TransactionRunner } from '@mas/persistence';
import { TokenUsage } from '../entities/token-usage.entity.js';
import { TokenWallet } from '../entities/token-wallet.entity.js';

/** Read side of finance: balances and the ledger, newest first. */
@Injectable()
export class WalletsService {
  constructor(private readonly transactions: TransactionRunner) {}

  async getWallet(userId: string): Promise<TokenWallet> {
    const wallet = await this.transactions.manager().findOneBy(TokenWallet, { userId });
    if (!wallet) throw new NotFoundError('wallet not found');
    return wallet;
  }

  listLedger(userId: string, page: { limit?: number; cursor?: string }): Promise<Page<TokenUsage>> {
    const query = this.transactions
      .manager()
      .createQueryBuilder(TokenUsage, 'entry')
      .where('entry.userId = :userId', { userId });
    return paginateByKeyset(query, page);
  }
}
