import { Injectable } from '@nestjs/common';
import { ForbiddenError, NotFoundError, RuleViolationError } from '@mas/domain-errors';
import { User, UserRole, UsersService } from '@mas/identity';
import {
  containsPattern,
  OutboxService,
  type Page,
  paginateByKeyset,
  ReplicaReads,
  TransactionRunner,
} from '@mas/persistence';
import { EntityManager, In } from 'typeorm';
import { CreateLeadDto, ListLeadsQuery, UpdateLeadDto } from '../dto/lead.dto.js';
import { Lead } from '../entities/lead.entity.js';
import { LeadTag } from '../entities/lead-tag.entity.js';
import { restrictToVisibleLeads } from './lead-visibility.js';
import { leadAssignedEvent } from './lead-assigned-event.js';

@Injectable()
export class LeadsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly users: UsersService,
    private readonly outbox: OutboxService,
    private readonly reads: ReplicaReads,
  ) {}

  /**
   * Newest first, only what the viewer may see, every filter on an index. May be served by a read
   * replica that has replayed the viewer's own writes.
   */
  list(query: ListLeadsQuery, viewer: User): Promise<Page<Lead>> {
    return this.reads.run(viewer.id, (manager) => this.listOn(manager, query, viewer));
  }

  private async listOn(
    manager: EntityManager,
    query: ListLeadsQuery,
    viewer: User,
  ): Promise<Page<Lead>> {
    const leads = restrictToVisibleLeads(manager.createQueryBuilder(Lead, 'lead'), viewer);
    if (query.status) leads.andWhere('lead.status = :status', { status: query.status });
    if (query.ownerId) leads.andWhere('lead.ownerId = :ownerId', { ownerId: query.ownerId });
    if (query.source) leads.andWhere('lead.source = :source', { source: query.source });
    if (query.createdFrom)
      leads.andWhere('lead.createdAt >= :createdFrom', { createdFrom: query.createdFrom });
    if (query.createdTo)
      leads.andWhere('lead.createdAt < :createdTo', { createdTo: query.createdTo });
    if (query.tag) {
      leads.andWhere(
        `EXISTS (SELECT 1 FROM mas_crm.lead_tag_links link JOIN mas_crm.lead_tags tag ON tag.id = link.tag_id
                  WHERE link.lead_id = lead.id AND tag.name = :tag)`,
        { tag: query.tag },
      );
    }
    if (query.q) {
      // Same expression as the trigram index idx_leads_search_trgm.
      leads.andWhere(`lower(lead.fullName || ' ' || coalesce(lead.email::text, '')) LIKE :q`, {
        q: containsPattern(query.q.toLowerCase()),
      });
    }
    const page = await paginateByKeyset(leads, query);
    return {
      items: await this.withTags(manager, page.items),
      nextCursor: page.nextCursor,
    };
  }

  async get(id: string, viewer: User): Promise<Lead> {
    const [lead] = await this.withTags(this.transactions.manager(), [
      await this.findVisible(this.transactions.manager(), id, viewer),
    ]);
    return lead;
  }

  /** Sales and sales heads own the leads they create; admins may leave them unassigned. */
  create(input: CreateLeadDto, creator: User): Promise<Lead> {
    return this.transactions.run(async (tx) => {
      const lead = await tx.save(
        tx.create(Lead, {
          fullName: input.fullName,
          email: input.email ?? null,
          phone: input.phone ?? null,
          source: input.source,
          platform: input.platform ?? null,
          ownerId: creator.role === UserRole.Admin ? null : creator.id,
          tags: input.tags ? await this.ensureTags(tx, input.tags) : [],
        }),
      );
      return lead;
    });
  }

  update(id: string, changes: UpdateLeadDto, editor: User): Promise<Lead> {
    return this.transactions.run(async (tx) => {
      const lead = await this.findVisible(tx, id, editor, true);
      if (changes.ownerId !== undefined && changes.ownerId !== lead.ownerId) {
        await this.assertCanAssign(editor, changes.ownerId);
        lead.ownerId = changes.ownerId;
        if (lead.ownerId) {
          await this.outbox.publish(tx, leadAssignedEvent(lead, lead.ownerId, editor.id));
        }
      }
      if (changes.status) lead.status = changes.status;
      if (changes.fullName) lead.fullName = changes.fullName;
      if (changes.phone) lead.phone = changes.phone;
      if (changes.tags) lead.tags = await this.ensureTags(tx, changes.tags);
      await tx.save(lead);
      const [saved] = await this.withTags(tx, [await tx.findOneByOrFail(Lead, { id })]);
      return saved;
    });
  }

  /** The lead if the viewer may see it; a 404 otherwise (a hidden lead does not exist for them). */
  async findVisible(manager: EntityManager, id: string, viewer: User, lock = false): Promise<Lead> {
    const query = restrictToVisibleLeads(manager.createQueryBuilder(Lead, 'lead'), viewer).andWhere(
      'lead.id = :id',
      { id },
    );
    if (lock) query.setLock('pessimistic_write');
    const lead = await query.getOne();
    if (!lead) throw new NotFoundError('lead not found');
    return lead;
  }

  private async assertCanAssign(editor: User, ownerId: string | null): Promise<void> {
    if (editor.role === UserRole.Sales)
      throw new ForbiddenError('only sales heads and admins assign leads');
    if (ownerId === null) return;
    const owner = await this.users.findById(ownerId);
    if (!owner || (owner.role !== UserRole.Sales && owner.role !== UserRole.SalesHead)) {
      throw new RuleViolationError('ownerId must be a sales or sales_head user');
    }
    if (
      editor.role === UserRole.SalesHead &&
      owner.id !== editor.id &&
      owner.salesHeadId !== editor.id
    ) {
      throw new ForbiddenError('sales heads assign leads within their team');
    }
  }

  /** Finds or creates tags by name (case-insensitive), race-safe. */
  private async ensureTags(tx: EntityManager, names: string[]): Promise<LeadTag[]> {
    const unique = [
      ...new Map(names.map((name) => [name.trim().toLowerCase(), name.trim()])).values(),
    ];
    await tx
      .createQueryBuilder()
      .insert()
      .into(LeadTag)
      .values(unique.map((name) => ({ name })))
      .orIgnore()
      .execute();
    return tx.findBy(LeadTag, { name: In(unique) });
  }

  /** Loads the tags of a page of leads in one query (no query per lead). */
  private async withTags(manager: EntityManager, leads: Lead[]): Promise<Lead[]> {
    if (!leads.length) return leads;
    const links = await manager.query<
      { lead_id: string; id: string; name: string; created_at: Date; updated_at: Date }[]
    >(
      `SELECT link.lead_id, tag.id, tag.name, tag.created_at, tag.updated_at
         FROM mas_crm.lead_tag_links link JOIN mas_crm.lead_tags tag ON tag.id = link.tag_id
        WHERE link.lead_id = ANY($1::uuid[])`,
      [leads.map((lead) => lead.id)],
    );
    for (const lead of leads) {
      lead.tags = links
        .filter((link) => link.lead_id === lead.id)
        .map((link) =>
          manager.create(LeadTag, {
            id: link.id,
            name: link.name,
            createdAt: link.created_at,
            updatedAt: link.updated_at,
          }),
        );
    }
    return leads;
  }
}
