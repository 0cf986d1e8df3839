import { mapPostgresError } from './http-error-mapping.js';

describe('mapPostgresError', () => {
  it.each([
    ['23505', 409],
    ['23P01', 409],
    ['23514', 422],
    ['23502', 422],
    ['22P02', 400],
    ['22001', 400],
    ['40001', 503],
    ['40P01', 503],
    ['57014', 503],
  ])('SQLSTATE %s → %i', (code, status) => {
    expect(mapPostgresError({ code })?.status).toBe(status);
  });

  it('tells a missing reference (422) from a still-referenced row (409)', () => {
    expect(
      mapPostgresError({
        code: '23503',
        detail: 'Key (user_id)=(x) is not present in table "users".',
      })?.status,
    ).toBe(422);
    expect(
      mapPostgresError({
        code: '23503',
        detail: 'Key (id)=(x) is still referenced from table "slots".',
      })?.status,
    ).toBe(409);
  });

  it('asks for a retry on contention and leaves unknown codes to the 500 path', () => {
    expect(mapPostgresError({ code: '40001' })?.retryAfterSeconds).toBe(1);
    expect(mapPostgresError({ code: 'XX000' })).toBeNull();
  });
});
