/**
 * Runs up to `limit` writes at once. A failed write is kept and thrown by the next `add` or by
 * `throwIfFailed`, never lost; `settle` waits for every running write, so none outlives its import.
 */
export class BoundedWrites {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {}

  async add(write: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running);
    this.throwIfFailed();
    const running: Promise<void> = write()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.running.delete(running));
    this.running.add(running);
  }

  async settle(): Promise<void> {
    await Promise.all(this.running);
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
