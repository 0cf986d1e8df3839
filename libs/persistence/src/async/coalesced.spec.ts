import { setImmediate as nextTurn } from 'node:timers/promises';
import { runInNewContext } from 'node:vm';
import { Coalesced } from './coalesced.js';

describe('Coalesced', () => {
  it('runs the items added in one turn once, and settles each with its own result', async () => {
    const runs: number[][] = [];
    const doubled = new Coalesced<number, number>((items) => {
      runs.push(items);
      return Promise.resolve(items.map((item) => item * 2));
    });
    expect(await Promise.all([doubled.add(1), doubled.add(2), doubled.add(3)])).toEqual([2, 4, 6]);
    await nextTurn();
    expect(await doubled.add(4)).toBe(8);
    expect(runs).toEqual([[1, 2, 3], [4]]);
  });

  it('rejects only the item whose result is an Error', async () => {
    const checked = new Coalesced<number, number>((items) =>
      Promise.resolve(items.map((item) => (item < 0 ? new RangeError(`${item} < 0`) : item))),
    );
    const outcomes = await Promise.allSettled([checked.add(1), checked.add(-1), checked.add(2)]);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'rejected', reason: new RangeError('-1 < 0') },
      { status: 'fulfilled', value: 2 },
    ]);
  });

  it('rejects the item whose result is an Error of another realm (a socket error from Node itself)', async () => {
    const foreign = runInNewContext(`new Error('connect ECONNREFUSED')`) as Error;
    expect(foreign instanceof Error).toBe(false);
    const reading = new Coalesced<string, { id: string }>((ids) =>
      Promise.resolve(ids.map((id) => (id === 'down' ? foreign : { id }))),
    );
    const outcomes = await Promise.allSettled([reading.add('a'), reading.add('down')]);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: { id: 'a' } },
      { status: 'rejected', reason: foreign },
    ]);
  });

  it('rejects every item of a failed run with its error', async () => {
    const failing = new Coalesced<string, void>(() => Promise.reject(new Error('database down')));
    const outcomes = await Promise.allSettled([failing.add('a'), failing.add('b')]);
    expect(outcomes).toEqual([
      { status: 'rejected', reason: new Error('database down') },
      { status: 'rejected', reason: new Error('database down') },
    ]);
  });
});
