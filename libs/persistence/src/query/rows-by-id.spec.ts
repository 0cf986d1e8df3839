import { jest } from '@jest/globals';
import { rowsById } from './rows-by-id.js';

describe('rowsById', () => {
  const a = '6f1c7a52-58a4-4c3e-9a53-2f1f0c6a0a01';
  const b = '6f1c7a52-58a4-4c3e-9a53-2f1f0c6a0a02';

  it('puts the rows in the order of the ids, any case, with null where there is none', async () => {
    const asked: string[][] = [];
    const rows = await rowsById([b, 'not-a-uuid', a.toUpperCase(), a], (uuids) => {
      asked.push(uuids);
      return Promise.resolve([{ id: a, n: 1 }]);
    });
    expect(asked).toEqual([[b, a.toUpperCase(), a]]);
    expect(rows).toEqual([null, null, { id: a, n: 1 }, { id: a, n: 1 }]);
  });

  it('does not read when no id is a UUID', async () => {
    const read = jest.fn(() => Promise.resolve([]));
    expect(await rowsById(['', 'x'], read)).toEqual([null, null]);
    expect(read).not.toHaveBeenCalled();
  });
});
