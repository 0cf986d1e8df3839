import { ForbiddenError } from '@mas/domain-errors';
import { type User, UserRole } from '@mas/identity';
import { type Slot } from '../entities/slot.entity.js';

const isAdmin = (user: User) => user.role === UserRole.Admin;

/** Who may act on a slot, per action; each throws 403 with the reason. */
export const SlotAccess = {
  asStudent(slot: Slot, user: User): void {
    if (user.role !== UserRole.Student) throw new ForbiddenError('only students book slots');
    if (slot.mentorId === user.id) throw new ForbiddenError('you cannot book your own slot');
  },

  asMentorOrAdmin(slot: Slot, user: User): void {
    if (!isAdmin(user) && slot.mentorId !== user.id)
      throw new ForbiddenError("only the slot's mentor or an admin may do this");
  },

  asParticipant(slot: Slot, user: User): void {
    if (slot.mentorId !== user.id && slot.studentId !== user.id) {
      throw new ForbiddenError("only the slot's student or mentor may do this");
    }
  },

  /** The party that did not ask to cancel, or an admin. */
  asOtherPartyOrAdmin(slot: Slot, user: User): void {
    if (isAdmin(user)) return;
    const participant = slot.mentorId === user.id || slot.studentId === user.id;
    if (!participant || slot.cancellationRequestedById === user.id) {
      throw new ForbiddenError('the other party or an admin must approve the cancellation');
    }
  },
};
