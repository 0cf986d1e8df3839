import { types } from 'node:util';

/**
 * Runs `run` once for all the items added within one turn of the event loop, and settles each
 * `add` with its own result: `run` returns one result per item, in order (an Error in that place
 * rejects only that item's promise). A failed `run` rejects every item of its batch. Callers that
 * finish together (replies read from one socket) share one statement; a slow caller never holds
 * back the others.
 */
export class Coalesced<T, R> {
  private waiting: {
    item: T;
    done: (result: R) => void;
    failed: (error: unknown) => void;
  }[] = [];

  constructor(private readonly run: (items: T[]) => Promise<(R | Error)[]>) {}

  add(item: T): Promise<R> {
    return new Promise((done, failed) => {
      if (!this.waiting.length) setImmediate(() => void this.flush());
      this.waiting.push({ item, done, failed });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      const results = await this.run(batch.map((entry) => entry.item));
      batch.forEach((entry, index) => {
        const result = results[index];
        // Not instanceof: a socket error comes from Node's own realm, which a test's VM context is not.
        if (types.isNativeError(result)) entry.failed(result);
        else entry.done(result);
      });
    } catch (error) {
      batch.forEach((entry) => entry.failed(error));
    }
  }
}
