import { ConflictError } from '@mas/domain-errors';
import { ApplicationStatus } from '../entities/application-status.enum.js';
import { APPLICATION_TRANSITIONS, assertTransition } from './application-lifecycle.js';

function refusalOf(from: ApplicationStatus, to: ApplicationStatus): unknown {
  try {
    assertTransition('application', APPLICATION_TRANSITIONS, from, to);
  } catch (error) {
    if (error instanceof ConflictError) return { message: error.message, details: error.details };
    throw error;
  }
  return null;
}

describe('assertTransition', () => {
  it('allows a listed transition', () => {
    expect(refusalOf(ApplicationStatus.Submitted, ApplicationStatus.UnderReview)).toBeNull();
  });

  it('refuses another with a conflict whose details name the status field and the allowed values', () => {
    expect(refusalOf(ApplicationStatus.Submitted, ApplicationStatus.Enrolled)).toEqual({
      message: 'application is submitted; cannot move to enrolled',
      details: [{ field: 'status', message: 'must be one of under_review, rejected, withdrawn' }],
    });
    expect(refusalOf(ApplicationStatus.Rejected, ApplicationStatus.Accepted)).toEqual({
      message: 'application is rejected; cannot move to accepted',
      details: [{ field: 'status', message: 'no change is allowed from rejected' }],
    });
  });
});
