import { Coalesced } from '../async/coalesced.js';

/**
 * Runs `write` once for all the ids added within one turn of the event loop (see Coalesced): each
 * `add` settles when the write that covered its id has.
 */
export class CoalescedWrite extends Coalesced<string, void> {
  constructor(write: (ids: string[]) => Promise<unknown>) {
    super(async (ids) => {
      await write(ids);
      return ids.map(() => undefined);
    });
  }
}
