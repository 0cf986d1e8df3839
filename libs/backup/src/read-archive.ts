import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { HEADER_BYTES, openHeader } from './archive/container-header.js';
import { type ArchiveRecord, readRecords, RecordType } from './archive/records.js';
import { ChunkOpener } from './archive/sealed-chunks.js';
import { BackupRefusedError } from './errors.js';
import { type Manifest, MANIFEST_FORMAT } from './manifest.js';
import { type TableEntry, tableKey } from './snapshot/catalog.js';
import { CopyStreamDigest } from './snapshot/copy-stream-digest.js';

const READ_BYTES = 1024 * 1024;

/** The checked plain records of a backup file, streamed; any failed check throws mid-way. */
export async function openArchive(
  file: string,
  passphrase: string | undefined,
): Promise<AsyncGenerator<ArchiveRecord>> {
  const handle = await open(file, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEADER_BYTES, 0);
    head = head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const opened = await openHeader(head, passphrase);
  const plain = pipeline(
    createReadStream(file, { start: HEADER_BYTES, highWaterMark: READ_BYTES }),
    new ChunkOpener(opened),
    () => undefined,
  );
  return readRecords(plain);
}

/** The data as it comes: each table's entry and COPY text pieces, or the pg_dump stream. */
export interface ArchiveVisitor {
  start?(table: TableEntry): Promise<void>;
  data?(chunk: Buffer): Promise<void>;
  end?(): Promise<void>;
  dump?(chunk: Buffer): Promise<void>;
}

/**
 * Reads the whole file once: every chunk authenticated (or checksummed), the records in order,
 * each table's rows and SHA-256 equal to the manifest's. Returns the manifest. A visitor, when
 * given, receives the tables as they stream by (a restore's COPY FROM).
 */
export async function readArchive(
  file: string,
  passphrase: string | undefined,
  visitor?: ArchiveVisitor,
): Promise<Manifest> {
  const damaged = (why: string) => new BackupRefusedError(`backup file damaged: ${why}`);
  const seen: { table: TableEntry; rows: number; bytes: number; sha256: string }[] = [];
  let current: { table: TableEntry; digest: CopyStreamDigest } | undefined;
  const dumpHash = createHash('sha256');
  let dumpBytes = 0;
  let manifest: Manifest | undefined;
  for await (const record of await openArchive(file, passphrase)) {
    if (manifest) throw damaged('records after the manifest');
    switch (record.type) {
      case RecordType.TableStart: {
        if (current) throw damaged('a table starts inside another');
        const table = JSON.parse(record.body.toString('utf8')) as TableEntry;
        current = { table, digest: new CopyStreamDigest() };
        await visitor?.start?.(table);
        break;
      }
      case RecordType.Data:
        if (!current) throw damaged('rows outside a table');
        current.digest.update(record.body);
        await visitor?.data?.(record.body);
        break;
      case RecordType.TableEnd: {
        if (!current) throw damaged('a table ends that never started');
        const { table, digest } = current;
        seen.push({ table, rows: digest.rows, bytes: digest.bytes, sha256: digest.sha256() });
        current = undefined;
        await visitor?.end?.();
        break;
      }
      case RecordType.Dump:
        if (current) throw damaged('dump data inside a table');
        dumpHash.update(record.body);
        dumpBytes += record.body.length;
        await visitor?.dump?.(record.body);
        break;
      case RecordType.Manifest:
        if (current) throw damaged('the manifest comes inside a table');
        manifest = JSON.parse(record.body.toString('utf8')) as Manifest;
        break;
    }
  }
  if (!manifest) throw damaged('no manifest');
  if (manifest.format !== MANIFEST_FORMAT) {
    throw new BackupRefusedError(`backup format ${String(manifest.format)} is not supported`);
  }
  const listed =
    manifest.engine === 'copy'
      ? manifest.tables.map(
          (table) => `${tableKey(table)} ${table.rows} ${table.bytes} ${table.sha256}`,
        )
      : [`pg_dump ${manifest.dump?.bytes} ${manifest.dump?.sha256}`];
  const found =
    manifest.engine === 'copy'
      ? seen.map((entry) => `${tableKey(entry.table)} ${entry.rows} ${entry.bytes} ${entry.sha256}`)
      : [`pg_dump ${dumpBytes} ${dumpHash.digest('hex')}`];
  const foreign = manifest.engine === 'copy' ? dumpBytes > 0 : seen.length > 0;
  if (listed.join('\n') !== found.join('\n') || foreign) {
    throw damaged('its data does not match its manifest (rows, size or SHA-256)');
  }
  return manifest;
}
