import { InvalidInputError } from '@mas/domain-errors';
import { decodeCursor, encodeCursor } from './keyset-cursor.js';

describe('keyset cursor', () => {
  it('round-trips a position exactly (millisecond timestamps)', () => {
    const position = {
      at: new Date('2026-11-22T10:11:12.345Z'),
      id: '0b7e8c1a-1f0e-4c7e-9a55-6f2b8a1d2c3e',
    };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    'garbage',
    '',
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('["not a date","0b7e8c1a-1f0e-4c7e-9a55-6f2b8a1d2c3e"]').toString('base64url'),
    Buffer.from('["2026-01-01T00:00:00Z","drop table"]').toString('base64url'),
  ])('rejects %p as invalid input', (cursor) =>
    expect(() => decodeCursor(cursor)).toThrow(InvalidInputError),
  );
});
