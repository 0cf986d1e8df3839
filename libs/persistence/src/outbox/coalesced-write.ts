/**
 * Runs `write` once for all the ids added within one turn of the event loop. Each `add` settles
 * when the write that covered its id has: a slow caller never holds back the others, and callers
 * finishing together (replies read from one socket) share one statement.
 */
export class CoalescedWrite {
  private waiting: { id: string; done: () => void; failed: (error: unknown) => void }[] = [];

  constructor(private readonly write: (ids: string[]) => Promise<unknown>) {}

  add(id: string): Promise<void> {
    return new Promise((done, failed) => {
      if (!this.waiting.length) setImmediate(() => void this.flush());
      this.waiting.push({ id, done, failed });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      await this.write(batch.map((entry) => entry.id));
      batch.forEach((entry) => entry.done());
    } catch (error) {
      batch.forEach((entry) => entry.failed(error));
    }
  }
}
