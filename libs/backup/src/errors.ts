/**
 * A backup or restore that must not go on: a damaged, tampered or foreign file, a wrong key, a
 * target that is not empty. The message says what and is safe to print (it never holds the key).
 */
export class BackupRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefusedError';
  }
}
