import { type User, UserRole } from '@mas/identity';
import { type Slot } from '../entities/slot.entity.js';

/** Described in the API docs of `SlotResponse.studentId`; the rule below must match it. */
export const STUDENT_ID_VISIBILITY =
  'Who booked the slot: shown only to that student, to the slot mentor and to admins; ' +
  'null for everyone else (and when nobody booked it).';

/** Which student booked the slot, if the viewer may know it; null otherwise. */
export function studentIdVisibleTo(slot: Slot, viewer: User): string | null {
  const mayKnow =
    viewer.role === UserRole.Admin || viewer.id === slot.mentorId || viewer.id === slot.studentId;
  return mayKnow ? slot.studentId : null;
}
