import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { isLegacyBcryptHash, verifyLegacyBcrypt } from './legacy-bcrypt.js';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

/** The OWASP minimum cost, log2 N = 17 (r=8, p=1), and the default. */
export const SCRYPT_MIN_PRODUCTION_LOG_N = 17;

/** scrypt parameters for cost 2^logN. Stored with each hash so they can change. */
export function scryptParams(logN = SCRYPT_MIN_PRODUCTION_LOG_N): ScryptParams {
  return { N: 2 ** logN, r: 8, p: 1, keyLength: 32 };
}

/** `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string, params = scryptParams()): Promise<string> {
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

/**
 * True for a hash the next successful login should replace: an older scheme, or scrypt at a lower
 * cost than `params` (the cost was raised since).
 */
export function needsRehash(stored: string, params = scryptParams()): boolean {
  if (isLegacyBcryptHash(stored)) return true;
  const [scheme, n] = stored.split('$');
  return scheme === 'scrypt' && Number(n) < params.N;
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
