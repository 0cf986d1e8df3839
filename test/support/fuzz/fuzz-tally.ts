/** Counts of what the fuzz test sent and got back, per operation and per status. */
export class FuzzTally {
  readonly perOperation: Record<string, { requests: number; statuses: Record<number, number> }> =
    {};
  readonly perStatus: Record<number, number> = {};
  readonly perKind: Record<string, { requests: number; statuses: Record<number, number> }> = {};
  total = 0;

  record(operation: string, kind: string, status: number): void {
    for (const entry of [
      (this.perOperation[operation] ??= { requests: 0, statuses: {} }),
      (this.perKind[kind] ??= { requests: 0, statuses: {} }),
    ]) {
      entry.requests++;
      entry.statuses[status] = (entry.statuses[status] ?? 0) + 1;
    }
    this.perStatus[status] = (this.perStatus[status] ?? 0) + 1;
    this.total++;
  }

  summary(): object {
    return {
      total: this.total,
      operations: Object.keys(this.perOperation).length,
      perStatus: this.perStatus,
      perKind: this.perKind,
      perOperation: this.perOperation,
    };
  }

  /** One line per operation (or kind): `POST /api/users  62 requests  400×40 401×22`. */
  table(by: 'operation' | 'kind' = 'operation'): string {
    const rows = by === 'operation' ? this.perOperation : this.perKind;
    const width = Math.max(...Object.keys(rows).map((name) => name.length));
    return Object.entries(rows)
      .map(
        ([name, { requests, statuses }]) =>
          `${name.padEnd(width)}  ${String(requests).padStart(4)} requests  ${Object.entries(
            statuses,
          )
            .map(([status, count]) => `${status}×${count}`)
            .join(' ')}`,
      )
      .join('\n');
  }
}
