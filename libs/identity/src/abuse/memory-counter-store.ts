import { type CounterStore, type WindowCount } from './counter-store.js';

interface Window {
  count: number;
  resetsAt: number;
}

/** Expired windows are swept once the map grows past this, so an address flood cannot grow it forever. */
const SWEEP_ABOVE = 10_000;

/** Fixed-window counters in this process's memory: the fallback while Redis is unreachable. */
export class MemoryCounterStore implements CounterStore {
  private readonly windows = new Map<string, Window>();

  hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = Date.now();
    if (this.windows.size > SWEEP_ABOVE) this.sweep(now);
    let window = this.open(key, now);
    if (!window) {
      window = { count: 0, resetsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return Promise.resolve(countOf(window, now));
  }

  peek(key: string): Promise<WindowCount> {
    const now = Date.now();
    const window = this.open(key, now);
    return Promise.resolve(window ? countOf(window, now) : { count: 0, resetsInMs: 0 });
  }

  refund(key: string): Promise<void> {
    const window = this.open(key, Date.now());
    if (window) window.count -= 1;
    return Promise.resolve();
  }

  private open(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && window.resetsAt <= now) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.resetsAt <= now) this.windows.delete(key);
    }
  }
}

function countOf(window: Window, now: number): WindowCount {
  return { count: window.count, resetsInMs: window.resetsAt - now };
}
