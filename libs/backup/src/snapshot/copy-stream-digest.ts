import { createHash, type Hash } from 'node:crypto';

const NEWLINE = 0x0a;

/**
 * Rows and SHA-256 of one table's COPY text as it streams by. Each row is one line (COPY escapes
 * newlines inside values), so rows are counted with the native indexOf: no per-row JS work.
 */
export class CopyStreamDigest {
  private readonly hash: Hash = createHash('sha256');
  private rowCount = 0;
  private byteCount = 0;
  private lastByte = NEWLINE;

  update(chunk: Buffer): void {
    if (!chunk.length) return;
    this.hash.update(chunk);
    this.byteCount += chunk.length;
    let at = chunk.indexOf(NEWLINE);
    while (at !== -1) {
      this.rowCount++;
      at = chunk.indexOf(NEWLINE, at + 1);
    }
    this.lastByte = chunk[chunk.length - 1];
  }

  get rows(): number {
    return this.rowCount;
  }

  get bytes(): number {
    return this.byteCount;
  }

  /** The SHA-256 in hex; throws when the data ended inside a row (a cut stream). */
  sha256(): string {
    if (this.lastByte !== NEWLINE) throw new Error('COPY data ended inside a row');
    return this.hash.digest('hex');
  }
}
