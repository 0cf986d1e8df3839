import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BackupRefusedError, backupFileName, loadBackupConfig, writeBackup } from '@mas/backup';
import { loadDatabaseConfig, resolveConnection } from '@mas/persistence';
import { readSettings } from '../config/read-settings.js';
import { formatRunFigures } from './backup-figures.js';

const ENGINES = ['copy', 'pg_dump'] as const;

/**
 * `db:backup [-- --out <dir>] [--engine copy|pg_dump]`: one consistent backup file of the
 * configured (or embedded) database into `<dir>` (default BACKUP_DIR, else ./backups), encrypted
 * when BACKUP_ENCRYPTION_KEY is set. Progress goes to stderr, the summary to stdout.
 */
export async function backup(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { out: { type: 'string' }, engine: { type: 'string', default: 'copy' } },
  });
  const engine = ENGINES.find((name) => name === values.engine);
  if (!engine) {
    console.error('usage: db:backup -- [--out <dir>] [--engine copy|pg_dump]');
    return 2;
  }
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
      engine,
      onTable: (table) => console.error(`  ${table.schema}.${table.name}: ${table.rows} rows`),
    });
    const seconds = (performance.now() - started) / 1000;
    const { size } = await stat(file);
    console.log(`backup: ${file}`);
    console.log(`  engine: ${engine}`);
    console.log(
      `  encrypted: ${settings.encryptionKey ? 'yes (AES-256-GCM)' : 'no (checksummed only)'}`,
    );
    console.log(
      `  snapshot: ${manifest.snapshotAt}, migration head ${manifest.migrationHead ?? '(none)'}`,
    );
    console.log(formatRunFigures(manifest, size, seconds));
    return 0;
  } catch (error) {
    if (error instanceof BackupRefusedError) {
      console.error(`db:backup refused: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await server.stop();
  }
}
