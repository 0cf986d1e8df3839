import { ConflictError, errorDetail } from '@mas/domain-errors';
import { ApplicationStatus, PapStatus } from '../entities/application-status.enum.js';

const A = ApplicationStatus;
const P = PapStatus;

/** Where an application may go next from each status: the one place its lifecycle is defined. */
export const APPLICATION_TRANSITIONS: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  [A.Submitted]: [A.UnderReview, A.Rejected, A.Withdrawn],
  [A.UnderReview]: [A.Accepted, A.Rejected, A.Withdrawn],
  [A.Accepted]: [A.Enrolled, A.Withdrawn],
  [A.Rejected]: [],
  [A.Enrolled]: [A.Withdrawn],
  [A.Withdrawn]: [],
};

/** The MAS-101 pay-after-placement lifecycle. */
export const PAP_TRANSITIONS: Record<PapStatus, readonly PapStatus[]> = {
  [P.Initiated]: [P.AgreementSigned, P.Cancelled],
  [P.AgreementSigned]: [P.InTraining, P.Cancelled],
  [P.InTraining]: [P.PlacementSearch, P.Cancelled],
  [P.PlacementSearch]: [P.Placed, P.Cancelled],
  [P.Placed]: [P.Repaying],
  [P.Repaying]: [P.Completed],
  [P.Completed]: [],
  [P.Cancelled]: [],
};

/** Throws a ConflictError naming the current status when `to` is not a next step of `from`. */
export function assertTransition<S extends string>(
  what: string,
  transitions: Record<S, readonly S[]>,
  from: S,
  to: S,
): void {
  if (!transitions[from].includes(to)) {
    const allowed = transitions[from];
    throw new ConflictError(`${what} is ${from}; cannot move to ${to}`, [
      errorDetail(
        allowed.length
          ? `must be one of ${allowed.join(', ')}`
          : `no change is allowed from ${from}`,
        'status',
      ),
    ]);
  }
}
