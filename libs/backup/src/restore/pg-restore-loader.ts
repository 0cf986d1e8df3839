import { once } from 'node:events';
import { type DatabaseTarget } from '../database-client.js';
import { requireToolFor, startTool } from '../engines/pg-tools.js';
import { type Manifest } from '../manifest.js';
import { readArchive } from '../read-archive.js';

/**
 * The pg_dump engine's restore: the archive's dump stream into `pg_restore` on stdin, in one
 * transaction (a failure leaves the target as empty as it was). pg_restore creates the schema,
 * loads the rows and builds indexes and constraints after them.
 */
export async function loadWithPgRestore(
  file: string,
  passphrase: string | undefined,
  target: DatabaseTarget,
  manifest: Manifest,
): Promise<void> {
  await requireToolFor('pg_restore', manifest.dump!.major);
  const { child, exited } = startTool(
    'pg_restore',
    [
      '--exit-on-error',
      '--single-transaction',
      '--no-owner',
      '--no-privileges',
      `--dbname=${target.connection.database}`,
    ],
    target.connection,
    target.ssl,
  );
  exited.catch(() => undefined);
  // A pg_restore that stops early closes its stdin: `exited` carries why, not this EPIPE.
  child.stdin.on('error', () => undefined);
  child.stdout.resume();
  try {
    await readArchive(file, passphrase, {
      dump: async (chunk) => {
        if (!child.stdin.write(chunk)) await Promise.race([once(child.stdin, 'drain'), exited]);
      },
    });
  } catch (error) {
    child.kill();
    throw error;
  }
  child.stdin.end();
  await exited;
}
