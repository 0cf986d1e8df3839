import { Injectable } from '@nestjs/common';
import { EmailTemplate, emailMessage } from '@mas/email';
import { User } from '@mas/identity';
import { OutboxEntries, type OutboxEntry, userRoom } from '@mas/persistence';
import { EntityManager } from 'typeorm';
import { Slot } from '../entities/slot.entity.js';
import { type SlotAction } from './slot-lifecycle.js';

const EVENT_OF: Partial<Record<SlotAction, string>> = {
  book: 'slot.booked',
  approve: 'slot.booked',
  request: 'slot.requested',
  approveCancellation: 'slot.cancelled',
  complete: 'slot.completed',
};

const EMAIL_OF: Partial<
  Record<
    SlotAction,
    typeof EmailTemplate.BookingConfirmation | typeof EmailTemplate.BookingCancelled
  >
> = {
  book: EmailTemplate.BookingConfirmation,
  approve: EmailTemplate.BookingConfirmation,
  approveCancellation: EmailTemplate.BookingCancelled,
};

/**
 * The one place that decides what a slot transition tells the outside world: a realtime event to
 * the mentor and the student and, for bookings and cancellations, an email to the student. The
 * entries are written to the outbox in the transition's transaction and leave after commit.
 */
@Injectable()
export class SlotNotifications {
  async entriesFor(
    tx: EntityManager,
    action: SlotAction,
    slot: Slot,
    student: User | null,
  ): Promise<OutboxEntry[]> {
    const entries: OutboxEntry[] = [];
    const event = EVENT_OF[action];
    if (event) {
      entries.push(
        OutboxEntries.realtime({
          type: event,
          data: {
            slotId: slot.id,
            status: slot.status,
            mentorId: slot.mentorId,
            studentId: slot.studentId,
            startsAt: slot.startsAt.toISOString(),
          },
          // Only the mentor's and the student's rooms: both may know studentId (slot-privacy.ts).
          // Sending this to a role room or anyone else would leak who booked the slot.
          rooms: [userRoom(slot.mentorId), ...(slot.studentId ? [userRoom(slot.studentId)] : [])],
        }),
      );
    }
    const template = EMAIL_OF[action];
    const recipient =
      template &&
      (student ?? (slot.studentId ? await tx.findOneBy(User, { id: slot.studentId }) : null));
    if (template && recipient) {
      entries.push(
        OutboxEntries.email(
          emailMessage(template, recipient.email, {
            fullName: recipient.fullName,
            slotId: slot.id,
            startsAt: slot.startsAt.toISOString(),
            endsAt: slot.endsAt.toISOString(),
          }),
        ),
      );
    }
    return entries;
  }
}
