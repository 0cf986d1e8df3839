import { DomainError } from './domain-error.js';
import { errorDetail } from './error-detail.js';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  PermanentError,
  RuleViolationError,
  UnauthenticatedError,
} from './permanent-errors.js';
import { RetryLaterError, ServerBusyError, TooManyRequestsError } from './retry-later-errors.js';

describe('domain errors', () => {
  it.each([
    NotFoundError,
    ConflictError,
    RuleViolationError,
    ForbiddenError,
    UnauthenticatedError,
    InvalidInputError,
  ])('%p is permanent: retrying cannot fix it', (Kind) => {
    const error = new Kind('nope');
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.name).toBe(Kind.name);
  });

  it('a refusal to retry later is not permanent and says when to retry', () => {
    for (const error of [
      new TooManyRequestsError('slow down', 7),
      new ServerBusyError('busy', 7),
    ]) {
      expect(error).toBeInstanceOf(RetryLaterError);
      expect(error).not.toBeInstanceOf(PermanentError);
      expect(error.retryAfterSeconds).toBe(7);
    }
  });

  it('carries its message and details as given', () => {
    const details = [errorDetail('must be an expert', 'mentorId')];
    const error = new RuleViolationError('mentorId must be the id of an expert', details);
    expect(error.message).toBe('mentorId must be the id of an expert');
    expect(error.details).toEqual([{ field: 'mentorId', message: 'must be an expert' }]);
    expect(new NotFoundError('slot not found').details).toBeUndefined();
  });
});
