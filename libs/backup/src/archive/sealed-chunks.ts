import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { BackupRefusedError } from '../errors.js';
import { type OpenedHeader, Protection } from './container-header.js';

const FINAL_BIT = 0x8000_0000;
const TAG_BYTES = 16;

/**
 * What each chunk's tag covers besides its bytes: the file header (protection, salt, …), the
 * chunk's position and whether it is the last one. So a chunk moved, dropped, duplicated, or the
 * file cut after any chunk, fails its check like a flipped byte does.
 */
function associatedData(opened: OpenedHeader, index: number, final: boolean): Buffer {
  const position = Buffer.alloc(9);
  position.writeBigUInt64BE(BigInt(index), 0);
  position.writeUInt8(final ? 1 : 0, 8);
  return Buffer.concat([opened.header.bytes, position]);
}

function nonce(opened: OpenedHeader, index: number): Buffer {
  const value = Buffer.alloc(12);
  opened.header.noncePrefix.copy(value, 0);
  value.writeBigUInt64BE(BigInt(index), 4);
  return value;
}

function checksum(aad: Buffer, payload: Buffer): Buffer {
  return createHash('sha256').update(aad).update(payload).digest().subarray(0, TAG_BYTES);
}

function seal(opened: OpenedHeader, index: number, final: boolean, plain: Buffer): Buffer[] {
  const aad = associatedData(opened, index, final);
  const length = Buffer.alloc(4);
  length.writeUInt32BE((plain.length | (final ? FINAL_BIT : 0)) >>> 0, 0);
  if (!opened.key) return [length, plain, checksum(aad, plain)];
  const cipher = createCipheriv('aes-256-gcm', opened.key, nonce(opened, index));
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return [length, body, cipher.getAuthTag()];
}

function unseal(
  opened: OpenedHeader,
  index: number,
  final: boolean,
  body: Buffer,
  tag: Buffer,
): Buffer {
  const aad = associatedData(opened, index, final);
  const refused = () =>
    new BackupRefusedError(
      `backup file damaged or altered: chunk ${index} fails its ${
        opened.key ? 'authentication' : 'checksum'
      }`,
    );
  if (opened.header.protection === Protection.Checksummed) {
    if (!checksum(aad, body).equals(tag)) throw refused();
    return body;
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', opened.key!, nonce(opened, index));
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw refused();
  }
}

/** Plain bytes in, the header then sealed chunks out (the last one flagged final, maybe empty). */
export class ChunkSealer extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private index = 0;

  constructor(private readonly opened: OpenedHeader) {
    super();
    this.push(opened.header.bytes);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const size = this.opened.header.chunkSize;
    if (this.pendingBytes > size) {
      let all = Buffer.concat(this.pending, this.pendingBytes);
      // Keep at least one byte back: only flush knows which chunk is the last.
      while (all.length > size) {
        for (const part of seal(this.opened, this.index++, false, all.subarray(0, size))) {
          this.push(part);
        }
        all = all.subarray(size);
      }
      this.pending = [all];
      this.pendingBytes = all.length;
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    const rest = Buffer.concat(this.pending, this.pendingBytes);
    for (const part of seal(this.opened, this.index++, true, rest)) this.push(part);
    done();
  }
}

/**
 * The chunks after the header in, their checked plain bytes out. Refuses a chunk that fails its
 * tag, bytes after the final chunk, and an end without one (a truncated file).
 */
export class ChunkOpener extends Transform {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private index = 0;
  private finished = false;

  constructor(private readonly opened: OpenedHeader) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.buffered.push(chunk);
      this.bufferedBytes += chunk.length;
      this.drainFrames();
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    if (this.bufferedBytes > 0 && this.finished) {
      done(new BackupRefusedError('backup file altered: bytes after its final chunk'));
    } else if (!this.finished) {
      done(new BackupRefusedError('backup file truncated: it ends before its final chunk'));
    } else {
      done();
    }
  }

  private drainFrames(): void {
    while (this.bufferedBytes >= 4) {
      if (this.finished) {
        throw new BackupRefusedError('backup file altered: bytes after its final chunk');
      }
      if (this.buffered[0].length < 4) this.buffered = [Buffer.concat(this.buffered)];
      const word = this.buffered[0].readUInt32BE(0);
      const final = (word & FINAL_BIT) !== 0;
      const length = (word & ~FINAL_BIT) >>> 0;
      if (length > this.opened.header.chunkSize) {
        throw new BackupRefusedError(
          `backup file damaged or altered: chunk ${this.index} claims ${length} bytes`,
        );
      }
      const frame = 4 + length + TAG_BYTES;
      // Wait for the whole frame before joining the reads: each byte is copied once.
      if (this.bufferedBytes < frame) return;
      const all = this.buffered.length === 1 ? this.buffered[0] : Buffer.concat(this.buffered);
      const body = all.subarray(4, 4 + length);
      const tag = all.subarray(4 + length, frame);
      const plain = unseal(this.opened, this.index++, final, body, tag);
      if (plain.length) this.push(plain);
      this.finished = final;
      const rest = all.subarray(frame);
      this.buffered = rest.length ? [rest] : [];
      this.bufferedBytes = rest.length;
    }
  }
}
