import { setImmediate as nextTurn } from 'node:timers/promises';
import { CoalescedWrite } from './coalesced-write.js';

describe('CoalescedWrite', () => {
  it('writes the ids added in one turn once, and a later id in a write of its own', async () => {
    const writes: string[][] = [];
    const marks = new CoalescedWrite((ids) => Promise.resolve(writes.push(ids)));
    const first = Promise.all([marks.add('a'), marks.add('b'), marks.add('c')]);
    await first;
    await Promise.all([nextTurn(), marks.add('d')]);
    expect(writes).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it("does not make an id wait for a slower sibling's turn", async () => {
    const writes: string[][] = [];
    const marks = new CoalescedWrite((ids) => Promise.resolve(writes.push(ids)));
    let releaseSlow!: () => void;
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve)).then(() =>
      marks.add('slow'),
    );
    await marks.add('fast');
    expect(writes).toEqual([['fast']]);
    releaseSlow();
    await slow;
    expect(writes).toEqual([['fast'], ['slow']]);
  });

  it("rejects every id of a failed write with the write's error", async () => {
    const marks = new CoalescedWrite(() => Promise.reject(new Error('database down')));
    const results = await Promise.allSettled([marks.add('a'), marks.add('b')]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error('database down'));
  });
});
