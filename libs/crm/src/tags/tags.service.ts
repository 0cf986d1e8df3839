import { Injectable } from '@nestjs/common';
import { ConflictError } from '@mas/domain-errors';
import { PgCode, postgresErrorOf, TransactionRunner } from '@mas/persistence';
import { LeadTag } from '../entities/lead-tag.entity.js';

@Injectable()
export class TagsService {
  constructor(private readonly transactions: TransactionRunner) {}

  list(): Promise<LeadTag[]> {
    return this.transactions.manager().find(LeadTag, { order: { name: 'ASC' }, take: 1000 });
  }

  async create(name: string): Promise<LeadTag> {
    try {
      return await this.transactions.manager().save(LeadTag, { name });
    } catch (error) {
      if (postgresErrorOf(error)?.code === PgCode.uniqueViolation)
        throw new ConflictError(`tag ${name} already exists`);
      throw error;
    }
  }
}
