/**
 * A sleep that `wake()` cuts short. A wake-up that comes while nobody sleeps is kept, so the next
 * sleep returns at once: a notification that arrives while the relay drains is never lost.
 */
export class WakeUp {
  private pending = false;
  private wakeSleeper?: () => void;

  wake(): void {
    if (this.wakeSleeper) this.wakeSleeper();
    else this.pending = true;
  }

  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleeper = done;
    });
  }
}
