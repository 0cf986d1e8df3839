const REDRAW_EVERY_MS = 200;
const CLEAR_TO_END_OF_LINE = '\x1b[K';

/**
 * A one-line progress display that redraws itself in place (`\r`): rows done, of how many when
 * known, and rows per second. Only on a terminal: piped or logged output stays free of it.
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
    const of = this.total
      ? ` / ${format(this.total)} (${Math.floor((100 * done) / this.total)}%)`
      : '';
    this.out.write(
      `\r${this.label} ${format(done)}${of} rows, ${format(perSecond)} rows/s${CLEAR_TO_END_OF_LINE}`,
    );
  }
}

function format(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
