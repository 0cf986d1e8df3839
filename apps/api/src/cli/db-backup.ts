import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { backupFileName, loadBackupConfig, writeBackup } from '@mas/backup';
import { loadDatabaseConfig, resolveConnection } from '@mas/persistence';
import { readSettings } from '../config/read-settings.js';
import { formatRunFigures } from './backup-figures.js';

/**
 * `db:backup [-- --out <dir>]`: one consistent, verified-on-read backup file of the configured
 * (or embedded) database into `<dir>` (default BACKUP_DIR, else ./backups), encrypted when
 * BACKUP_ENCRYPTION_KEY is set. Progress goes to stderr, the summary to stdout.
 */
export async function backup(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
  const [database, settings] = await readSettings(
    (env) => [loadDatabaseConfig(env), loadBackupConfig(env)] as const,
  );
  const server = await resolveConnection(database, (message) => console.error(message));
  try {
    const dir = values.out ?? settings.dir ?? 'backups';
    await mkdir(dir, { recursive: true });
    const file = join(dir, backupFileName(server.connection.database, new Date()));
    const started = performance.now();
    const manifest = await writeBackup({
      source: { connection: server.connection, ssl: database.ssl },
      file,
      passphrase: settings.encryptionKey,
      onTable: (table) =>
        console.error(`  ${table.schema}.${table.name}: ${table.rows} rows, ${table.bytes} bytes`),
    });
    const seconds = (performance.now() - started) / 1000;
    const { size } = await stat(file);
    console.log(`backup: ${file}`);
    console.log(
      `  encrypted: ${settings.encryptionKey ? 'yes (AES-256-GCM)' : 'no (checksummed only)'}`,
    );
    console.log(
      `  snapshot: ${manifest.snapshotAt}, migration head ${manifest.migrationHead ?? '(none)'}`,
    );
    console.log(formatRunFigures(manifest, size, seconds));
    return 0;
  } finally {
    await server.stop();
  }
}
