import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  ConflictError,
  type DomainError,
  errorDetail,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  PermanentError,
  RuleViolationError,
  ServerBusyError,
  TooManyRequestsError,
  UnauthenticatedError,
} from '@mas/domain-errors';
import { answerOf } from './filter-answer.fixture.js';

describe('DomainError to HTTP', () => {
  it.each<[string, number, DomainError, string]>([
    ['InvalidInputError', 400, new InvalidInputError('cursor is invalid'), 'Bad Request'],
    ['UnauthenticatedError', 401, new UnauthenticatedError('wrong email'), 'Unauthorized'],
    ['ForbiddenError', 403, new ForbiddenError('only students book slots'), 'Forbidden'],
    ['NotFoundError', 404, new NotFoundError('slot not found'), 'Not Found'],
    ['ConflictError', 409, new ConflictError('slot is in the past'), 'Conflict'],
    ['RuleViolationError', 422, new RuleViolationError('no tokens'), 'Unprocessable Entity'],
  ])('maps a %s to %i with its message and no details', (_, status, error, reason) => {
    expect(answerOf(error)).toEqual({
      status,
      body: { statusCode: status, error: reason, message: error.message },
      headers: {},
    });
  });

  it('sends the details a domain error carries, as thrown', () => {
    const error = new ConflictError('application is submitted; cannot move to enrolled', [
      errorDetail('must be one of under_review, rejected, withdrawn', 'status'),
      errorDetail('the other party must approve'),
    ]);
    expect(answerOf(error).body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'application is submitted; cannot move to enrolled',
      details: [
        { field: 'status', message: 'must be one of under_review, rejected, withdrawn' },
        { message: 'the other party must approve' },
      ],
    });
  });

  it('leaves out an empty details list, as for an HttpException', () => {
    expect(answerOf(new InvalidInputError('workflow definition is invalid', [])).body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'workflow definition is invalid',
    });
  });

  it.each<[string, number, DomainError, string]>([
    ['TooManyRequestsError', 429, new TooManyRequestsError('too many, retry in 7 s', 7), '7'],
    ['ServerBusyError', 503, new ServerBusyError('the server is busy', 1), '1'],
  ])('maps a %s to %i with Retry-After', (_, status, error, retryAfter) => {
    const { body, headers } = answerOf(error);
    expect(body).toEqual({
      statusCode: status,
      error: status === 429 ? 'Too Many Requests' : 'Service Unavailable',
      message: error.message,
    });
    expect(headers).toEqual({ 'Retry-After': retryAfter });
  });

  it("answers a bare PermanentError (the server's own failure) with a 500 and logs its stack", () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      expect(answerOf(new PermanentError('the lead has no CRM owner'))).toEqual({
        status: 500,
        body: { statusCode: 500, error: 'Internal Server Error', message: 'internal server error' },
        headers: {},
      });
      expect(logged).toHaveBeenCalledWith(
        expect.stringContaining('PermanentError: the lead has no CRM owner'),
      );
    } finally {
      logged.mockRestore();
    }
  });
});
