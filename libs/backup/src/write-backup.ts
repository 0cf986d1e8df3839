import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import { newHeader } from './archive/container-header.js';
import { RecordType, RecordWriter } from './archive/records.js';
import { ChunkSealer } from './archive/sealed-chunks.js';
import { connectClient, type DatabaseTarget } from './database-client.js';
import { type Manifest, MANIFEST_FORMAT, type TableManifest } from './manifest.js';
import { listSequences, listTables, quoteName } from './snapshot/catalog.js';
import { CopyStreamDigest } from './snapshot/copy-stream-digest.js';
import { readDatabaseFacts } from './snapshot/database-facts.js';
import { usePortableSession } from './snapshot/session.js';

export interface WriteBackupOptions {
  source: DatabaseTarget;
  /** The backup file; written as `<file>.partial` and renamed once complete and synced. */
  file: string;
  /** BACKUP_ENCRYPTION_KEY: encrypts the file when set. */
  passphrase?: string;
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
 * snapshot for every table, the sums and the sequences), `COPY … TO STDOUT` per table streamed
 * through the container into the file. Works on any PostgreSQL the pg driver talks to, whatever
 * client binaries are installed. Memory stays at a few chunks: every write waits for the file.
 */
export async function writeBackup(options: WriteBackupOptions): Promise<Manifest> {
  const partial = `${options.file}.partial`;
  const client = await connectClient(options.source, 'backup');
  try {
    await usePortableSession(client);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ snapshotAt: Date; snapshotId: string }>(
      'SELECT transaction_timestamp() AS "snapshotAt", pg_export_snapshot() AS "snapshotId"',
    );
    await options.onSnapshot?.(rows[0].snapshotId);
    const facts = await readDatabaseFacts(client);
    const tables = await listTables(client);
    const sequences = await listSequences(client);

    const sealer = new ChunkSealer(await newHeader(options.passphrase, options.chunkSize));
    const written = pipeline(sealer, createWriteStream(partial, { flags: 'wx' }));
    // A failed pipeline rejects `written`; the copy loop notices through the writer's errors.
    written.catch(() => undefined);
    const records = new RecordWriter(sealer);
    const tableManifests: TableManifest[] = [];
    try {
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
        tableManifests.push(entry);
        options.onTable?.(entry);
      }
      const manifest: Manifest = {
        format: MANIFEST_FORMAT,
        engine: 'copy',
        database: options.source.connection.database,
        snapshotAt: rows[0].snapshotAt.toISOString(),
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

/** The rename below must not publish a file whose bytes are still only in the page cache. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
