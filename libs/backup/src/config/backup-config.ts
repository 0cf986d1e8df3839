import { ConfigError, type Env, EnvReader } from '@mas/persistence';

export interface BackupConfig {
  /** BACKUP_DIR: where the scheduled backups go; unset, nothing is scheduled. */
  dir: string | undefined;
  /** BACKUP_KEEP: verified backups kept in `dir`, newest first. */
  keep: number;
  /** BACKUP_ENCRYPTION_KEY: a passphrase; backups are encrypted when it is set. Never logged. */
  encryptionKey: string | undefined;
  /** BACKUP_MAX_AGE_HOURS: /api/health reports backups degraded when the newest verified one is older. */
  maxAgeHours: number;
}

const MIN_KEY_LENGTH = 16;

export function loadBackupConfig(env: Env): BackupConfig {
  const read = new EnvReader(env);
  const encryptionKey = read.optionalString('BACKUP_ENCRYPTION_KEY');
  if (encryptionKey !== undefined && encryptionKey.length < MIN_KEY_LENGTH) {
    throw new ConfigError(
      'BACKUP_ENCRYPTION_KEY',
      `must be at least ${MIN_KEY_LENGTH} characters (a long random passphrase)`,
    );
  }
  return {
    dir: read.optionalString('BACKUP_DIR'),
    keep: read.int('BACKUP_KEEP', 7, { min: 1, max: 1000 }),
    encryptionKey,
    maxAgeHours: read.int('BACKUP_MAX_AGE_HOURS', 26, { min: 1, max: 24 * 365 }),
  };
}
