const REDRAW_EVERY_MS = 200;
const CLEAR_TO_END_OF_LINE = '\x1b[K';
const BAR_WIDTH = 20;

/**
 * A one-line progress display that redraws itself in place (`\r`): rows done, of how many when
 * known (then with a bar and the time left at the current rate), and rows per second. Only on a
 * terminal: piped or logged output stays free of it.
 */
export class ProgressLine {
  private readonly started = performance.now();
  // The first redraw waits too: a rate over the first few rows means nothing.
  private drawnAt = this.started;

  constructor(
    private readonly label: string,
    private readonly total?: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number): void {
    const now = performance.now();
    if (now - this.drawnAt < REDRAW_EVERY_MS) return;
    this.drawnAt = now;
    this.draw(done, now);
  }

  finish(done: number): void {
    this.draw(done, performance.now());
    if (this.out.isTTY) this.out.write('\n');
  }

  private draw(done: number, now: number): void {
    if (!this.out.isTTY) return;
    const perSecond = done / Math.max((now - this.started) / 1000, 0.001);
    const rate = `${format(perSecond)} rows/s`;
    const line = this.total
      ? `${this.bar(done)} rows, ${rate}${this.eta(done, perSecond)}`
      : `${format(done)} rows, ${rate}`;
    this.out.write(`\r${this.label} ${line}${CLEAR_TO_END_OF_LINE}`);
  }

  private bar(done: number): string {
    const total = this.total!;
    const share = Math.min(done / total, 1);
    const filled = Math.round(share * BAR_WIDTH);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
    return `${bar} ${format(done)} / ${format(total)} (${Math.floor(100 * share)}%)`;
  }

  private eta(done: number, perSecond: number): string {
    const left = this.total! - done;
    return left > 0 && perSecond > 0 ? `, ETA ${duration(left / perSecond)}` : '';
  }
}

function format(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function duration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
