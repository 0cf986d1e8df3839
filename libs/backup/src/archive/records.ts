import { once } from 'node:events';
import { type Writable } from 'node:stream';
import { BackupRefusedError } from '../errors.js';

/**
 * What the plain stream inside the container is made of: per table its start, data and end (copy
 * engine) or the dump's pieces (pg_dump engine), then the manifest.
 */
export enum RecordType {
  /** JSON: the table and its columns, in COPY order. */
  TableStart = 0x54,
  /** A piece of the table's COPY text (rows end in newlines; a piece may split a row). */
  Data = 0x44,
  TableEnd = 0x45,
  /** A piece of the pg_dump engine's `pg_dump --format=custom` stream. */
  Dump = 0x50,
  /** JSON: the manifest, last. */
  Manifest = 0x4d,
}

export interface ArchiveRecord {
  type: RecordType;
  body: Buffer;
}

const HEAD_BYTES = 5;
const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** Frames records onto `destination`, waiting whenever it asks to (backpressure). */
export class RecordWriter {
  constructor(private readonly destination: Writable) {}

  async write(type: RecordType, body: Buffer): Promise<void> {
    const head = Buffer.alloc(HEAD_BYTES);
    head.writeUInt8(type, 0);
    head.writeUInt32BE(body.length, 1);
    const headRoom = this.destination.write(head);
    const bodyRoom = body.length ? this.destination.write(body) : true;
    if (!headRoom || !bodyRoom) await once(this.destination, 'drain');
  }

  writeJson(type: RecordType, value: unknown): Promise<void> {
    return this.write(type, Buffer.from(JSON.stringify(value), 'utf8'));
  }
}

/** The records of a plain stream, one at a time (memory: one record and one read). */
export async function* readRecords(source: AsyncIterable<Buffer>): AsyncGenerator<ArchiveRecord> {
  let buffered: Buffer[] = [];
  let bufferedBytes = 0;
  const take = (count: number): Buffer => {
    const all = buffered.length === 1 ? buffered[0] : Buffer.concat(buffered, bufferedBytes);
    const taken = all.subarray(0, count);
    const rest = all.subarray(count);
    buffered = rest.length ? [rest] : [];
    bufferedBytes = rest.length;
    return taken;
  };
  let need: { type: RecordType; length: number } | undefined;
  for await (const chunk of source) {
    buffered.push(chunk);
    bufferedBytes += chunk.length;
    for (;;) {
      if (!need) {
        if (bufferedBytes < HEAD_BYTES) break;
        const head = take(HEAD_BYTES);
        need = { type: head.readUInt8(0) as RecordType, length: head.readUInt32BE(1) };
        if (!(need.type in RecordType) || need.length > MAX_RECORD_BYTES) {
          throw new BackupRefusedError('backup file damaged: unknown record in the payload');
        }
      }
      if (bufferedBytes < need.length) break;
      const body = take(need.length);
      const type = need.type;
      need = undefined;
      yield { type, body };
    }
  }
  if (need || bufferedBytes) throw new BackupRefusedError('backup file damaged: payload cut short');
}
