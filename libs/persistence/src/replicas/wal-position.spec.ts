import { formatWalPosition, parseWalPosition } from './wal-position.js';

describe('WAL positions', () => {
  it('orders positions as the server does, across the 32-bit boundary', () => {
    expect(parseWalPosition('0/FFFFFFFF') < parseWalPosition('1/0')).toBe(true);
    expect(parseWalPosition('16/B374D848') > parseWalPosition('16/B374D847')).toBe(true);
    expect(parseWalPosition('16/b374d848')).toBe(parseWalPosition('16/B374D848'));
  });

  it('prints a position back the way Postgres does', () => {
    expect(formatWalPosition(parseWalPosition('16/B374D848'))).toBe('16/B374D848');
    expect(formatWalPosition(parseWalPosition('0/3000148'))).toBe('0/3000148');
  });

  it('refuses text that is not a position', () => {
    expect(() => parseWalPosition('16-B374D848')).toThrow('not a WAL position');
    expect(() => parseWalPosition('123456789/0')).toThrow('not a WAL position');
  });
});
