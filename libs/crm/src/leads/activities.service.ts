import { Injectable } from '@nestjs/common';
import { User } from '@mas/identity';
import { type Page, paginateByKeyset, TransactionRunner } from '@mas/persistence';
import { CreateActivityDto } from '../dto/lead.dto.js';
import { LeadActivity } from '../entities/lead-activity.entity.js';
import { LeadsService } from './leads.service.js';

/** The activity log of a lead the caller can see. */
@Injectable()
export class ActivitiesService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly leads: LeadsService,
  ) {}

  async add(leadId: string, input: CreateActivityDto, author: User): Promise<LeadActivity> {
    return this.transactions.run(async (tx) => {
      await this.leads.findVisible(tx, leadId, author);
      return tx.save(
        tx.create(LeadActivity, {
          leadId,
          type: input.type,
          body: input.body,
          authorId: author.id,
        }),
      );
    });
  }

  async list(
    leadId: string,
    viewer: User,
    page: { limit?: number; cursor?: string },
  ): Promise<Page<LeadActivity>> {
    const manager = this.transactions.manager();
    await this.leads.findVisible(manager, leadId, viewer);
    return paginateByKeyset(
      manager
        .createQueryBuilder(LeadActivity, 'activity')
        .where('activity.leadId = :leadId', { leadId }),
      page,
    );
  }
}
