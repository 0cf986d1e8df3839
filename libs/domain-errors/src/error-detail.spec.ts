import { errorDetail } from './error-detail.js';

describe('errorDetail', () => {
  it('names the field when there is one, and leaves an absent or empty field out', () => {
    expect(errorDetail('must be a UUID', 'id')).toEqual({ field: 'id', message: 'must be a UUID' });
    expect(errorDetail('violates ck_slots_range')).toEqual({ message: 'violates ck_slots_range' });
    expect(errorDetail('must not be nested deeper', '')).toEqual({
      message: 'must not be nested deeper',
    });
  });
});
