import { Injectable } from '@nestjs/common';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
} from '@mas/domain-errors';
import { User, UserRole, UsersService } from '@mas/identity';
import {
  type Page,
  paginateByKeyset,
  ReplicaReads,
  PgCode,
  postgresErrorOf,
  TransactionRunner,
} from '@mas/persistence';
import { Brackets, type EntityManager } from 'typeorm';
import { CreateSlotDto, ListSlotsQuery } from '../dto/slot.dto.js';
import { MeetingStatus } from '../entities/meeting-status.enum.js';
import { Slot } from '../entities/slot.entity.js';

@Injectable()
export class SlotsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly users: UsersService,
    private readonly reads: ReplicaReads,
  ) {}

  /** A new tentative slot; overlapping an active slot of the same mentor is a 409 (exclusion constraint). */
  async create(input: CreateSlotDto, caller: User): Promise<Slot> {
    const mentorId = await this.mentorFor(input.mentorId, caller);
    const slots = this.transactions.manager().getRepository(Slot);
    try {
      return await slots.save(
        slots.create({
          mentorId,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          priceTokens: input.priceTokens,
        }),
      );
    } catch (error) {
      if (postgresErrorOf(error)?.code === PgCode.exclusionViolation) {
        throw new ConflictError('slot overlaps another active slot of this mentor');
      }
      throw error;
    }
  }

  async get(id: string): Promise<Slot> {
    const slot = await this.transactions.manager().findOneBy(Slot, { id });
    if (!slot) throw new NotFoundError('slot not found');
    return slot;
  }

  /** Upcoming first (by start time). `available` means tentative and not yet started. */
  /** May be served by a read replica that has replayed the reader's own writes. */
  list(query: ListSlotsQuery, reader: User): Promise<Page<Slot>> {
    return this.reads.run(reader.id, (manager) => this.listOn(manager, query));
  }

  private listOn(manager: EntityManager, query: ListSlotsQuery): Promise<Page<Slot>> {
    const slots = manager.createQueryBuilder(Slot, 'slot');
    if (query.mentorId) slots.andWhere('slot.mentorId = :mentorId', { mentorId: query.mentorId });
    if (query.status) slots.andWhere('slot.status = :status', { status: query.status });
    if (query.from) slots.andWhere('slot.startsAt >= :from', { from: query.from });
    if (query.to) slots.andWhere('slot.startsAt < :to', { to: query.to });
    if (query.available) {
      slots.andWhere('slot.status = :tentative AND slot.startsAt > now()', {
        tentative: MeetingStatus.Tentative,
      });
    }
    return paginateByKeyset(slots, { ...query, sortBy: 'startsAt', direction: 'ASC' });
  }

  /** The caller's meetings, as student or as mentor, most recent start first. */
  bookingsOf(user: User, page: { limit?: number; cursor?: string }): Promise<Page<Slot>> {
    const slots = this.transactions
      .manager()
      .createQueryBuilder(Slot, 'slot')
      .where(
        new Brackets((where) => where.where('slot.studentId = :me').orWhere('slot.mentorId = :me')),
        { me: user.id },
      )
      .andWhere('slot.studentId IS NOT NULL');
    return paginateByKeyset(slots, { ...page, sortBy: 'startsAt', direction: 'DESC' });
  }

  private async mentorFor(requested: string | undefined, caller: User): Promise<string> {
    if (caller.role === UserRole.Expert) {
      if (requested && requested !== caller.id)
        throw new ForbiddenError('experts create slots for themselves');
      return caller.id;
    }
    if (!requested)
      throw new RuleViolationError('mentorId is required when an admin creates a slot');
    const mentor = await this.users.findById(requested);
    if (mentor?.role !== UserRole.Expert)
      throw new RuleViolationError('mentorId must be the id of an expert');
    return mentor.id;
  }
}
