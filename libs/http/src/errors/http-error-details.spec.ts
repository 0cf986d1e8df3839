import { errorDetail } from '@mas/domain-errors';
import { errorDetailsOf, withDetails } from './http-error-details.js';

describe('withDetails', () => {
  it('builds the response object of an exception with details', () => {
    expect(withDetails('cursor is invalid', [errorDetail('is bad', 'cursor')])).toEqual({
      message: 'cursor is invalid',
      details: [{ field: 'cursor', message: 'is bad' }],
    });
  });
});

describe('errorDetailsOf', () => {
  it('keeps entries of the contract shape, without extra properties', () => {
    expect(
      errorDetailsOf([
        { field: 'email', message: 'must be an email' },
        { message: 'no field', extra: 1 },
      ]),
    ).toEqual([{ field: 'email', message: 'must be an email' }, { message: 'no field' }]);
  });

  it("turns Nest's message arrays into entries without a field", () => {
    expect(errorDetailsOf(['a is bad', 'b is bad'])).toEqual([
      { message: 'a is bad' },
      { message: 'b is bad' },
    ]);
  });

  it('drops what is not an entry, and answers undefined when nothing is left', () => {
    expect(errorDetailsOf([{ field: 'x', errors: ['old shape'] }, 7, null])).toBeUndefined();
    expect(errorDetailsOf({ constraint: 'uq_users_email' })).toBeUndefined();
    expect(errorDetailsOf('a message')).toBeUndefined();
    expect(errorDetailsOf([])).toBeUndefined();
    expect(errorDetailsOf(undefined)).toBeUndefined();
    expect(errorDetailsOf([{ field: 3, message: 'field not a string' }])).toEqual([
      { message: 'field not a string' },
    ]);
  });
});
