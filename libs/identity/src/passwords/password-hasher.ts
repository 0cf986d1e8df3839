import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { isLegacyBcryptHash, verifyLegacyBcrypt } from './legacy-bcrypt.js';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** scrypt parameters (OWASP minimum: N=2^17, r=8, p=1). Stored with each hash so they can change. */
const DEFAULTS = { N: 2 ** 17, r: 8, p: 1, keyLength: 32 };

/** `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string, params = DEFAULTS): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, params.N, params.r, params.p, params.keyLength);
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
}

/** Verifies against a current scrypt hash or a bcrypt hash imported from the old backend. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (isLegacyBcryptHash(stored)) return verifyLegacyBcrypt(password, stored);
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(
    password,
    Buffer.from(salt, 'base64url'),
    Number(n),
    Number(r),
    Number(p),
    expected.length,
  );
  return timingSafeEqual(actual, expected);
}

/** True for a hash in an older scheme that the next successful login should replace. */
export function needsRehash(stored: string): boolean {
  return isLegacyBcryptHash(stored);
}

function derive(
  password: string,
  salt: Buffer,
  N: number,
  r: number,
  p: number,
  keyLength: number,
): Promise<Buffer> {
  return scryptAsync(password.normalize('NFKC'), salt, keyLength, { N, r, p, maxmem: 256 * N * r });
}
