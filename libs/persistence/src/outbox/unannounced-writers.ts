import { type DataSource } from 'typeorm';

/**
 * The write transactions that were in flight when this relay's listener registered. Each may
 * have checked the registry just before, found no listener and so commit its outbox rows without
 * a notification: the relay polls, from `firstCheckMs` and twice as long each time, until all of
 * them have ended, then drains once more.
 */
export class UnannouncedWriters {
  private xids: string[] = [];
  private checks = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly firstCheckMs: number,
  ) {}

  watch(xids: string[]): void {
    this.xids = [...new Set([...this.xids, ...xids])];
    this.checks = 0;
  }

  /**
   * Forgets the writers that have ended. Called before a drain: a writer found ended here has
   * committed before the drain's claim reads the table.
   */
  async forgetEnded(): Promise<void> {
    if (!this.xids.length) return;
    this.checks++;
    const rows = await this.dataSource.query<{ xid: string }[]>(
      `SELECT xid::text FROM unnest($1::xid8[]) xid WHERE pg_xact_status(xid) = 'in progress'`,
      [this.xids],
    );
    this.xids = rows.map((row) => row.xid);
  }

  /** How long the relay may sleep before it looks again; Infinity while none is awaited. */
  nextCheckInMs(): number {
    return this.xids.length ? this.firstCheckMs * 2 ** Math.min(this.checks, 16) : Infinity;
  }
}
