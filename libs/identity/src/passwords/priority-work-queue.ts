export class QueueFullError extends Error {
  constructor(lane: string) {
    super(`the ${lane} queue is full`);
  }
}

export interface LaneSettings<Lane extends string> {
  name: Lane;
  /** How many of the slots this lane's tasks may hold at once. */
  maxRunning: number;
}

interface LaneState {
  maxRunning: number;
  running: number;
  waiting: (() => void)[];
}

/**
 * Runs at most `concurrency` tasks at once, and at most `maxRunning` of one lane. The others wait
 * in their lane's bounded queue; a free slot goes to the first lane (in the order given) that has
 * a waiting task and room. A task arriving at a full queue is refused with QueueFullError, so
 * waiting stays bounded.
 */
export class PriorityWorkQueue<Lane extends string> {
  private running = 0;
  private readonly lanes = new Map<Lane, LaneState>();

  constructor(
    private readonly concurrency: number,
    private readonly queueMax: number,
    lanesByPriority: readonly LaneSettings<Lane>[],
  ) {
    for (const { name, maxRunning } of lanesByPriority) {
      this.lanes.set(name, { maxRunning, running: 0, waiting: [] });
    }
  }

  async run<T>(lane: Lane, task: () => Promise<T>): Promise<T> {
    const state = this.lanes.get(lane)!;
    if (this.hasRoom(state)) {
      this.running += 1;
      state.running += 1;
    } else {
      if (state.waiting.length >= this.queueMax) throw new QueueFullError(lane);
      // The slot is handed over by release(), which counts it before resolving.
      await new Promise<void>((resolve) => state.waiting.push(resolve));
    }
    try {
      return await task();
    } finally {
      this.running -= 1;
      state.running -= 1;
      this.startWaiting();
    }
  }

  private hasRoom(state: LaneState): boolean {
    return this.running < this.concurrency && state.running < state.maxRunning;
  }

  private startWaiting(): void {
    for (const state of this.lanes.values()) {
      if (state.waiting.length && this.hasRoom(state)) {
        this.running += 1;
        state.running += 1;
        state.waiting.shift()!();
        return;
      }
    }
  }
}
