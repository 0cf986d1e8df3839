import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { newHeader } from './archive/container-header.js';
import { RecordType, RecordWriter } from './archive/records.js';
import { ChunkSealer } from './archive/sealed-chunks.js';
import { connectClient, type DatabaseTarget } from './database-client.js';
import { requireToolFor, startTool } from './engines/pg-tools.js';
import {
  type BackupEngine,
  type DumpManifest,
  type Manifest,
  MANIFEST_FORMAT,
  type TableManifest,
} from './manifest.js';
import { listSequences, listTables, quoteName, type TableEntry } from './snapshot/catalog.js';
import { CopyStreamDigest } from './snapshot/copy-stream-digest.js';
import { readDatabaseFacts } from './snapshot/database-facts.js';
import { usePortableSession } from './snapshot/session.js';

export interface WriteBackupOptions {
  source: DatabaseTarget;
  /** The backup file; written as `<file>.partial` and renamed once complete and synced. */
  file: string;
  /** BACKUP_ENCRYPTION_KEY: encrypts the file when set. */
  passphrase?: string;
  /** `copy` (default): works on every server version; `pg_dump`: needs a pg_dump as new as the server. */
  engine?: BackupEngine;
  chunkSize?: number;
  /**
   * Called inside the backup's transaction, before any row is read, with the id of its exported
   * snapshot: another session may `SET TRANSACTION SNAPSHOT` to it and see exactly what the
   * backup sees (the tests compare a restore with it).
   */
  onSnapshot?: (snapshotId: string) => Promise<void>;
  /** Progress per table, for a CLI. */
  onTable?: (table: TableManifest) => void;
}

/**
 * One consistent backup of the whole database: a REPEATABLE READ READ ONLY transaction (one
 * snapshot for every table, the sums and the sequences), its data streamed through the container
 * into the file, by `COPY … TO STDOUT` per table (any server version, no client binaries) or by
 * `pg_dump --snapshot` of that same snapshot. Memory stays at a few chunks: every write waits for
 * the file.
 */
export async function writeBackup(options: WriteBackupOptions): Promise<Manifest> {
  const engine = options.engine ?? 'copy';
  const partial = `${options.file}.partial`;
  const client = await connectClient(options.source, 'backup');
  try {
    await usePortableSession(client);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{
      snapshotAt: Date;
      snapshotId: string;
      serverMajor: number;
    }>(
      `SELECT transaction_timestamp() AS "snapshotAt", pg_export_snapshot() AS "snapshotId",
              current_setting('server_version_num')::int / 10000 AS "serverMajor"`,
    );
    const [{ snapshotAt, snapshotId, serverMajor }] = rows;
    const dumpMajor = engine === 'pg_dump' ? await requireToolFor('pg_dump', serverMajor) : 0;
    await options.onSnapshot?.(snapshotId);
    const facts = await readDatabaseFacts(client);
    const tables = await listTables(client);
    const sequences = await listSequences(client);

    const sealer = new ChunkSealer(await newHeader(options.passphrase, options.chunkSize));
    const written = pipeline(sealer, createWriteStream(partial, { flags: 'wx' }));
    // A failed pipeline rejects `written`; the copy loop notices through the writer's errors.
    written.catch(() => undefined);
    const records = new RecordWriter(sealer);
    try {
      let tableManifests: TableManifest[];
      let dump: DumpManifest | undefined;
      if (engine === 'copy') {
        tableManifests = await copyTables(client, tables, records, options.onTable);
      } else {
        dump = await dumpSnapshot(options.source, snapshotId, dumpMajor, records);
        tableManifests = await countRows(client, tables, options.onTable);
      }
      const manifest: Manifest = {
        format: MANIFEST_FORMAT,
        engine,
        ...(dump ? { dump } : {}),
        database: options.source.connection.database,
        snapshotAt: snapshotAt.toISOString(),
        finishedAt: new Date().toISOString(),
        migrationHead: facts.migrations.at(-1) ?? null,
        facts,
        tables: tableManifests,
        sequences,
      };
      await records.writeJson(RecordType.Manifest, manifest);
      sealer.end();
      await written;
      await syncFile(partial);
      await rename(partial, options.file);
      return manifest;
    } catch (error) {
      sealer.destroy();
      await written.catch(() => undefined);
      throw error;
    }
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
}

/** The copy engine: each table's COPY text, in the snapshot, into its records. */
async function copyTables(
  client: pg.Client,
  tables: TableEntry[],
  records: RecordWriter,
  onTable: WriteBackupOptions['onTable'],
): Promise<TableManifest[]> {
  const manifests: TableManifest[] = [];
  for (const table of tables) {
    await records.writeJson(RecordType.TableStart, table);
    const digest = new CopyStreamDigest();
    const columns = table.columns.map((column) => `"${column.replaceAll('"', '""')}"`);
    const copy = client.query(
      copyTo(`COPY ${quoteName(table.schema, table.name)} (${columns.join(', ')}) TO STDOUT`),
    );
    for await (const chunk of copy as AsyncIterable<Buffer>) {
      digest.update(chunk);
      await records.write(RecordType.Data, chunk);
    }
    await records.write(RecordType.TableEnd, Buffer.alloc(0));
    const entry = { ...table, rows: digest.rows, bytes: digest.bytes, sha256: digest.sha256() };
    manifests.push(entry);
    onTable?.(entry);
  }
  return manifests;
}

/** The pg_dump engine: pg_dump joins the backup's snapshot, its custom-format output is recorded. */
async function dumpSnapshot(
  source: DatabaseTarget,
  snapshotId: string,
  major: number,
  records: RecordWriter,
): Promise<DumpManifest> {
  const { child, exited } = startTool(
    'pg_dump',
    ['--format=custom', '--compress=0', `--snapshot=${snapshotId}`],
    source.connection,
    source.ssl,
  );
  child.stdin.end();
  exited.catch(() => undefined);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    await records.write(RecordType.Dump, chunk);
  }
  await exited;
  return { major, bytes, sha256: hash.digest('hex') };
}

/** The pg_dump engine's row counts, from the same snapshot, for the restore's verification. */
async function countRows(
  client: pg.Client,
  tables: TableEntry[],
  onTable: WriteBackupOptions['onTable'],
): Promise<TableManifest[]> {
  const manifests: TableManifest[] = [];
  for (const table of tables) {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${quoteName(table.schema, table.name)}`,
    );
    const entry = { ...table, rows: Number(rows[0].n) };
    manifests.push(entry);
    onTable?.(entry);
  }
  return manifests;
}

/** The rename below must not publish a file whose bytes are still only in the page cache. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
