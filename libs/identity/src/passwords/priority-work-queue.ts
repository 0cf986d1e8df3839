export class QueueFullError extends Error {
  constructor(lane: string) {
    super(`the ${lane} queue is full`);
  }
}

/**
 * Runs at most `concurrency` tasks at once; the others wait in their lane's bounded queue and a
 * free slot goes to the first lane (in the order given) that has a waiting task. A task arriving at
 * a full lane is refused with QueueFullError, so waiting stays bounded.
 */
export class PriorityWorkQueue<Lane extends string> {
  private running = 0;
  private readonly waiting = new Map<Lane, (() => void)[]>();

  constructor(
    private readonly concurrency: number,
    private readonly queueMax: number,
    lanesByPriority: readonly Lane[],
  ) {
    for (const lane of lanesByPriority) this.waiting.set(lane, []);
  }

  async run<T>(lane: Lane, task: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) {
      this.running += 1;
    } else {
      const queue = this.waiting.get(lane)!;
      if (queue.length >= this.queueMax) throw new QueueFullError(lane);
      // The slot is handed over by release(): `running` already counts this task.
      await new Promise<void>((resolve) => queue.push(resolve));
    }
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private release(): void {
    for (const queue of this.waiting.values()) {
      const next = queue.shift();
      if (next) return next();
    }
    this.running -= 1;
  }
}
