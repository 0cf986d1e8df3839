import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '@mas/domain-errors';
import { LedgerService, TokenUsageType } from '@mas/finance';
import { User } from '@mas/identity';
import { OutboxService, TransactionRunner } from '@mas/persistence';
import { EntityManager } from 'typeorm';
import { Slot } from '../entities/slot.entity.js';
import { lockSlot, slotStateUpdate } from './slot-rows.js';
import { SlotTaker } from './slot-taker.js';
import { type TakeAction } from './slot-taking.js';
import { SlotAccess } from './slot-access.js';
import { SlotNotifications } from './slot-notifications.js';
import { nextStatus, type SlotAction } from './slot-lifecycle.js';

/**
 * Booking and its siblings. Each is one transaction (booking and requesting: one statement) that
 * locks the slot row first, checks the lifecycle and who is asking, moves tokens through the
 * ledger, updates the slot and records its notifications in the outbox, which the relay
 * dispatches only after commit.
 */
@Injectable()
export class BookingService {
  private readonly taker: SlotTaker;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly ledger: LedgerService,
    private readonly notifications: SlotNotifications,
    private readonly outbox: OutboxService,
  ) {
    this.taker = new SlotTaker(transactions);
  }

  /** tentative → confirmed, debiting the student (422 and nothing changes when short of tokens). */
  book(slotId: string, student: User): Promise<Slot> {
    return this.take(slotId, 'book', student);
  }

  /** tentative → meeting_requested; the tokens are held by a debit until approval or rejection. */
  request(slotId: string, student: User): Promise<Slot> {
    return this.take(slotId, 'request', student);
  }

  review(slotId: string, user: User): Promise<Slot> {
    return this.change(slotId, 'review', (_tx, slot) => {
      SlotAccess.asMentorOrAdmin(slot, user);
      return Promise.resolve({});
    });
  }

  approve(slotId: string, user: User): Promise<Slot> {
    return this.change(slotId, 'approve', (_tx, slot) => {
      SlotAccess.asMentorOrAdmin(slot, user);
      return Promise.resolve({});
    });
  }

  /** Back to tentative; the held tokens go back to the student with one refund row. */
  reject(slotId: string, user: User): Promise<Slot> {
    return this.change(slotId, 'reject', async (tx, slot) => {
      SlotAccess.asMentorOrAdmin(slot, user);
      await this.refund(tx, slot, 'request rejected');
      return { studentId: null };
    });
  }

  cancel(slotId: string, user: User): Promise<Slot> {
    return this.change(slotId, 'cancel', (_tx, slot) => {
      SlotAccess.asParticipant(slot, user);
      return Promise.resolve({ cancellationRequestedById: user.id });
    });
  }

  /** cancellation_requested → cancelled with exactly one refund row. */
  approveCancellation(slotId: string, user: User): Promise<Slot> {
    return this.change(slotId, 'approveCancellation', async (tx, slot) => {
      SlotAccess.asOtherPartyOrAdmin(slot, user);
      await this.refund(tx, slot, 'booking cancelled');
      return {};
    });
  }

  /** confirmed → completed after the start; the mentor is credited once. */
  complete(slotId: string, user: User): Promise<Slot> {
    return this.change(slotId, 'complete', async (tx, slot) => {
      SlotAccess.asMentorOrAdmin(slot, user);
      if (slot.startsAt.getTime() > Date.now())
        throw new ConflictError('slot has not started yet; cannot complete');
      if (slot.earningsCredited)
        throw new ConflictError('earnings for this slot were already credited');
      await this.ledger.credit(tx, slot.mentorId, slot.priceTokens, TokenUsageType.Earning, {
        slotId: slot.id,
      });
      return { earningsCredited: true };
    });
  }

  private async change(
    slotId: string,
    action: SlotAction,
    work: (tx: EntityManager, slot: Slot) => Promise<Partial<Slot>>,
  ): Promise<Slot> {
    return this.transactions.run(async (tx) => {
      const locked = await lockSlot(tx, slotId);
      if (!locked) throw new NotFoundError('slot not found');
      const status = nextStatus(action, locked.status);
      // updated_at is set here (not by the database) so the returned slot matches the row exactly.
      Object.assign(locked, await work(tx, locked), { status, updatedAt: new Date() });
      const notifications = await this.notifications.entriesFor(tx, action, locked, null);
      // The slot update and its outbox rows go to the database in one round trip.
      await this.outbox.record(tx, notifications, slotStateUpdate(locked));
      return locked;
    });
  }

  /**
   * A student takes an upcoming slot that is not their own, paying its price now. Two round trips,
   * each shared with the concurrent takings (slot-taker.ts): an unlocked read to check and to build
   * the notifications from, then one statement that locks, re-checks and writes everything
   * (slot-taking.ts). A slot changed in between is read again.
   */
  private async take(slotId: string, action: TakeAction, student: User): Promise<Slot> {
    const manager = this.transactions.manager();
    for (let attempt = 1; ; attempt++) {
      const read = await this.taker.read(slotId);
      if (!read) throw new NotFoundError('slot not found');
      const status = nextStatus(action, read.status);
      SlotAccess.asStudent(read, student);
      assertUpcoming(read);
      const taken = manager.create(Slot, {
        ...read,
        status,
        studentId: student.id,
        updatedAt: new Date(),
      });
      const notifications = await this.notifications.entriesFor(manager, action, taken, student);
      const done = await this.taker.take(action, { read, taken, notifications });
      if (done !== 'changed') return done;
      if (attempt >= MAX_TAKE_ATTEMPTS) throw new ConflictError(SLOT_KEEPS_CHANGING);
    }
  }

  private async refund(tx: EntityManager, slot: Slot, note: string): Promise<void> {
    if (!slot.studentId) return;
    await this.ledger.credit(tx, slot.studentId, slot.priceTokens, TokenUsageType.Refund, {
      slotId: slot.id,
      note,
    });
  }
}

/** Slots' mentor, times and price never change in the app; a retry covers edits made in SQL. */
const MAX_TAKE_ATTEMPTS = 3;
const SLOT_KEEPS_CHANGING = 'slot changed while booking; try again';

function assertUpcoming(slot: Slot): void {
  if (slot.startsAt.getTime() <= Date.now()) throw new ConflictError('slot is in the past');
}
