/** Injection token of the validated BackupConfig (BACKUP_* variables). */
export const BACKUP_CONFIG = Symbol('BACKUP_CONFIG');
