import { typeChangeVerdict, type ColumnType } from './column-types.js';

const type = (name: string, modifiers: number[] = [], arrayDimensions = 0): ColumnType => ({
  name,
  modifiers,
  arrayDimensions,
});

describe('typeChangeVerdict', () => {
  it.each([
    ['varchar(50) → varchar(100)', type('varchar', [50]), type('varchar', [100])],
    ['varchar(50) → varchar', type('varchar', [50]), type('varchar')],
    ['varchar(50) → text', type('varchar', [50]), type('text')],
    ['text → varchar', type('text'), type('varchar')],
    ['numeric(10,2) → numeric(12,2)', type('numeric', [10, 2]), type('numeric', [12, 2])],
    ['numeric(10) → numeric(12,0)', type('numeric', [10]), type('numeric', [12, 0])],
    ['numeric(10,2) → numeric', type('numeric', [10, 2]), type('numeric')],
    ['timestamptz(3) → timestamptz(6)', type('timestamptz', [3]), type('timestamptz', [6])],
    ['int4 → int4', type('int4'), type('int4')],
    ['cidr → inet', type('cidr'), type('inet')],
  ])('allows %s', (_label, from, to) => {
    expect(typeChangeVerdict(from, to)).toEqual({ safe: true });
  });

  it('allows timestamp → timestamptz only in a UTC session', () => {
    expect(typeChangeVerdict(type('timestamp'), type('timestamptz'))).toEqual({
      safe: true,
      onlyInUtcSession: true,
    });
  });

  it.each([
    ['varchar(100) → varchar(50)', type('varchar', [100]), type('varchar', [50]), 'shrinks'],
    ['varchar → varchar(50)', type('varchar'), type('varchar', [50]), 'adds a limit'],
    ['text → varchar(50)', type('text'), type('varchar', [50]), 'length limit'],
    ['varchar → int4', type('varchar', [10]), type('int4'), 'binary-compatible'],
    [
      'numeric(10,2) → numeric(8,2)',
      type('numeric', [10, 2]),
      type('numeric', [8, 2]),
      'precision',
    ],
    ['numeric(10,2) → numeric(12,3)', type('numeric', [10, 2]), type('numeric', [12, 3]), 'scale'],
    ['numeric → numeric(10,2)', type('numeric'), type('numeric', [10, 2]), 'unbounded'],
    ['int4 → int8', type('int4'), type('int8'), 'binary-compatible'],
    [
      'timestamp → timestamptz(3)',
      type('timestamp'),
      type('timestamptz', [3]),
      'binary-compatible',
    ],
    ['bpchar(5) → text', type('bpchar', [5]), type('text'), 'binary-compatible'],
    ['text → text[]', type('text'), type('text', [], 1), 'array'],
    ['bpchar(2) → bpchar(4)', type('bpchar', [2]), type('bpchar', [4]), 'not known to be safe'],
  ])('blocks %s', (_label, from, to, reason) => {
    const verdict = typeChangeVerdict(from, to);
    expect(verdict.safe).toBe(false);
    expect(verdict.safe ? '' : verdict.reason).toContain(reason);
  });
});
