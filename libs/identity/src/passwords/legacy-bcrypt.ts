import bcrypt from 'bcryptjs';

/** `$2a$` / `$2b$` / `$2y$`, two-digit cost, 22 salt + 31 hash characters: the old backend's hashes. */
const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/** A hash carried over from the old backend, verified as is and upgraded at the next login. */
export function isLegacyBcryptHash(stored: string): boolean {
  return BCRYPT_HASH.test(stored);
}

/**
 * The old backend hashed the password as typed (no Unicode normalisation) and bcrypt reads only
 * its first 72 bytes; both are kept so an old password verifies exactly as it did there.
 * bcryptjs compares in constant time.
 */
export function verifyLegacyBcrypt(password: string, stored: string): Promise<boolean> {
  return bcrypt.compare(password, stored);
}
