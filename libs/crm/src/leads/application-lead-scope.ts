import { Injectable, type OnModuleInit } from '@nestjs/common';
import { User } from '@mas/identity';
import { ApplicationScope, type SalesApplicationRule } from '@mas/lms';
import { type ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Lead } from '../entities/lead.entity.js';
import { leadOfApplication } from './lead-of-application.js';
import { restrictToVisibleLeads } from './lead-visibility.js';

/**
 * Sales and sales heads may see and act on an application exactly when they may see its lead:
 * the lead visibility rule itself, applied in an EXISTS. Registered into the LMS's
 * ApplicationScope, which the LMS routes and the workflow run routes both use.
 */
@Injectable()
export class ApplicationLeadScope implements SalesApplicationRule, OnModuleInit {
  constructor(private readonly scope: ApplicationScope) {}

  onModuleInit(): void {
    this.scope.register(this);
  }

  restrict<T extends ObjectLiteral>(
    query: SelectQueryBuilder<T>,
    applicationId: string,
    viewer: User,
  ): SelectQueryBuilder<T> {
    const visibleLead = restrictToVisibleLeads(
      query.subQuery().select('1').from(Lead, 'scope_lead'),
      viewer,
    ).andWhere(leadOfApplication('scope_lead', applicationId));
    return query.andWhere(`EXISTS ${visibleLead.getQuery()}`, visibleLead.getParameters());
  }
}
