/** A fixed-window counter's state: how many events so far, and when the window ends. */
export interface WindowCount {
  count: number;
  resetsInMs: number;
}

/** Fixed-window counters; each operation is atomic for its key. */
export interface CounterStore {
  /** Counts one event; the first event of a window starts it. */
  hit(key: string, windowMs: number): Promise<WindowCount>;
  /** The current count without counting. */
  peek(key: string): Promise<WindowCount>;
  /** Takes back one event of a window that is still open. */
  refund(key: string): Promise<void>;
}
