import { ConflictError, errorDetail } from '@mas/domain-errors';
import { MeetingStatus } from '../entities/meeting-status.enum.js';

const {
  Tentative,
  MeetingRequested,
  UnderReview,
  Confirmed,
  CancellationRequested,
  Cancelled,
  Completed,
} = MeetingStatus;

/** Every allowed slot transition, by action: the one place the lifecycle is defined. */
export const SLOT_TRANSITIONS = {
  book: { from: [Tentative], to: Confirmed },
  request: { from: [Tentative], to: MeetingRequested },
  review: { from: [MeetingRequested], to: UnderReview },
  approve: { from: [UnderReview], to: Confirmed },
  reject: { from: [MeetingRequested, UnderReview], to: Tentative },
  cancel: { from: [Confirmed], to: CancellationRequested },
  approveCancellation: { from: [CancellationRequested], to: Cancelled },
  complete: { from: [Confirmed], to: Completed },
} as const satisfies Record<string, { from: readonly MeetingStatus[]; to: MeetingStatus }>;

export type SlotAction = keyof typeof SLOT_TRANSITIONS;

/** The status `action` leads to from `current`, or a ConflictError naming the current status. */
export function nextStatus(action: SlotAction, current: MeetingStatus): MeetingStatus {
  const transition = SLOT_TRANSITIONS[action];
  if (!(transition.from as readonly MeetingStatus[]).includes(current)) {
    throw new ConflictError(`slot is ${current}; cannot ${action}`, [
      errorDetail(`${action} needs a slot that is ${transition.from.join(' or ')}`),
    ]);
  }
  return transition.to;
}
