import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  BackupRefusedError,
  formatVerification,
  loadBackupConfig,
  readArchive,
  restoreBackup,
} from '@mas/backup';
import { ConfigError, loadDatabaseConfig } from '@mas/persistence';
import { readSettings } from '../config/read-settings.js';
import { formatRunFigures } from './backup-figures.js';

const USAGE =
  'usage: db:restore -- <backup file> --into <postgres url> [--force]\n' +
  '       db:restore -- <backup file> --check   (read and check the file only)';

/**
 * `db:restore -- <backup> --into <url> [--force]`: restores into an empty database (refuses one
 * with tables unless --force), verifies it against the manifest and prints the verdict; exit 1 on
 * any mismatch or refusal. `--check` reads and authenticates the file without any database.
 */
export async function restore(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      into: { type: 'string' },
      force: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
    },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1 || (!values.into && !values.check)) {
    console.error(USAGE);
    return 2;
  }
  const [settings, ssl] = await readSettings(
    (env) => [loadBackupConfig(env), loadDatabaseConfig(env).ssl] as const,
  );
  const started = performance.now();
  try {
    if (values.check) {
      const manifest = await readArchive(file, settings.encryptionKey);
      console.log(`backup file OK: ${file}`);
      console.log(
        `  snapshot: ${manifest.snapshotAt}, migration head ${manifest.migrationHead ?? '(none)'}`,
      );
      const seconds = (performance.now() - started) / 1000;
      console.log(formatRunFigures(manifest, (await stat(file)).size, seconds));
      return 0;
    }
    const connection = intoConnection(values.into!);
    const outcome = await restoreBackup({
      file,
      passphrase: settings.encryptionKey,
      target: { connection, ssl },
      force: values.force,
      log: (message) => console.error(message),
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(`restored ${file} into ${connection.database}`);
    console.log(
      outcome.manifest.engine === 'pg_dump'
        ? '  loaded by: pg_restore, in one transaction'
        : `  triggers and foreign keys during the load: ${outcome.triggersBypassed ? 'off (replica role)' : 'on'}`,
    );
    console.log(formatRunFigures(outcome.manifest, (await stat(file)).size, seconds));
    console.log(formatVerification(outcome.verification));
    return outcome.verification.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof BackupRefusedError || error instanceof ConfigError) {
      console.error(`db:restore refused: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

function intoConnection(url: string) {
  try {
    return loadDatabaseConfig({ DATABASE_URL: url }).connection!;
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError('--into', 'must be a postgres:// URL');
    throw error;
  }
}
