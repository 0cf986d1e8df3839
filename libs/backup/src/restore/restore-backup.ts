import type pg from 'pg';
import { connectClient, type DatabaseTarget } from '../database-client.js';
import { type Manifest } from '../manifest.js';
import { readArchive } from '../read-archive.js';
import { quoteName } from '../snapshot/catalog.js';
import { usePortableSession } from '../snapshot/session.js';
import { type Verification, verifyAgainstManifest } from '../verify/verify-restore.js';
import { loadWithPgRestore } from './pg-restore-loader.js';
import { dropSecondaryIndexes } from './secondary-indexes.js';
import { TableLoader } from './table-loader.js';
import { migrateToHead, prepareEmptyTarget } from './target-database.js';

export interface RestoreOptions {
  file: string;
  passphrase?: string;
  target: DatabaseTarget;
  /** Replace whatever the target holds (otherwise a target with tables is refused). */
  force?: boolean;
  log?: (message: string) => void;
}

export interface RestoreOutcome {
  manifest: Manifest;
  verification: Verification;
  /** Whether triggers and foreign keys were off while loading (session_replication_role). */
  triggersBypassed: boolean;
}

/**
 * Restores a backup file into an empty database and verifies it against the manifest:
 * 1. the whole file is read and checked first (a tampered or wrong-key file never touches the target);
 * 2. copy engine: the target is migrated from empty to the backup's migration head, then loaded
 *    (loadCopyData); pg_dump engine: pg_restore rebuilds schema and rows from the dump;
 * 3. the restored database is compared with the manifest, the same way for both.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreOutcome> {
  const log = options.log ?? (() => undefined);
  const manifest = await readArchive(options.file, options.passphrase);
  log(`backup file checked: ${manifest.tables.length} tables, snapshot ${manifest.snapshotAt}`);
  await prepareEmptyTarget(options.target, options.force ?? false);
  let triggersBypassed = false;
  if (manifest.engine === 'pg_dump') {
    await loadWithPgRestore(options.file, options.passphrase, options.target, manifest);
    log('pg_restore done');
  } else {
    await migrateToHead(options.target, manifest.facts.migrations);
    log(`target migrated to ${manifest.migrationHead ?? '(no migrations)'}`);
    triggersBypassed = await loadCopyData(options, manifest, log);
  }
  const verification = await verifyAgainstManifest(options.target, manifest);
  return { manifest, verification, triggersBypassed };
}

/**
 * The copy engine's load, in one transaction: secondary indexes off, every table by COPY FROM in
 * foreign-key order, sequences set, indexes rebuilt. Returns whether triggers were bypassed.
 */
async function loadCopyData(
  options: RestoreOptions,
  manifest: Manifest,
  log: (message: string) => void,
): Promise<boolean> {
  const client = await connectClient(options.target, 'restore');
  try {
    await usePortableSession(client);
    // Like pg_restore --disable-triggers: the rows are one consistent snapshot, so the foreign-key
    // triggers need not recheck them. Needs superuser; otherwise the foreign-key order suffices.
    const triggersBypassed = await client
      .query('SET session_replication_role = replica')
      .then(() => true)
      .catch(() => false);
    await client.query('BEGIN');
    await emptyTables(client, manifest);
    const rebuildIndexes = await dropSecondaryIndexes(client);
    await readArchive(options.file, options.passphrase, new TableLoader(client));
    log(`rows loaded; rebuilding ${rebuildIndexes.length} indexes`);
    for (const statement of rebuildIndexes) await client.query(statement);
    for (const sequence of manifest.sequences) {
      await client.query('SELECT setval($1::regclass, $2, $3)', [
        quoteName(sequence.schema, sequence.name),
        sequence.lastValue ?? '1',
        sequence.lastValue !== null,
      ]);
    }
    await client.query('COMMIT');
    return triggersBypassed;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** Rows the migrations themselves wrote (seeded lookups) make way for the backup's. */
async function emptyTables(client: pg.Client, manifest: Manifest): Promise<void> {
  const filled: string[] = [];
  for (const table of manifest.tables) {
    const name = quoteName(table.schema, table.name);
    const { rows } = await client.query<{ found: boolean }>(
      'SELECT to_regclass($1) IS NOT NULL AS found',
      [name],
    );
    if (!rows[0].found) continue; // TableLoader names the missing table
    const { rowCount } = await client.query(`SELECT 1 FROM ${name} LIMIT 1`);
    if (rowCount) filled.push(name);
  }
  if (filled.length) await client.query(`TRUNCATE ${filled.join(', ')} CASCADE`);
}
