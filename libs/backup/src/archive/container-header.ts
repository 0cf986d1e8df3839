import { createHmac, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { BackupRefusedError } from '../errors.js';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** The first bytes of every backup file, and the format version. */
export const MAGIC = Buffer.from('MASBKUP1', 'ascii');

/** How the chunks after the header are protected. */
export enum Protection {
  /** SHA-256 per chunk: catches corruption, not a deliberate edit (no secret to check against). */
  Checksummed = 0,
  /** AES-256-GCM per chunk, key derived from BACKUP_ENCRYPTION_KEY and this file's salt. */
  Encrypted = 1,
}

/** Plaintext bytes per chunk: memory per stream stays at about two chunks. */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

const SALT_BYTES = 16;
const NONCE_PREFIX_BYTES = 4;
const KEY_CHECK_BYTES = 16;
/** scrypt cost for the passphrase: 32 MiB and ~0.1 s, once per file. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export const HEADER_BYTES =
  MAGIC.length + 1 + 4 + SALT_BYTES + NONCE_PREFIX_BYTES + KEY_CHECK_BYTES;

export interface ContainerHeader {
  protection: Protection;
  chunkSize: number;
  salt: Buffer;
  noncePrefix: Buffer;
  /** HMAC of the derived key: tells a wrong key apart from a damaged file. Zeros when checksummed. */
  keyCheck: Buffer;
  /** The header exactly as written; part of every chunk's authenticated data. */
  bytes: Buffer;
}

export interface OpenedHeader {
  header: ContainerHeader;
  /** The AES key, when encrypted. */
  key: Buffer | undefined;
}

function keyCheckOf(key: Buffer): Buffer {
  return createHmac('sha256', key)
    .update('mas-backup key check')
    .digest()
    .subarray(0, KEY_CHECK_BYTES);
}

function deriveKey(passphrase: string, salt: Buffer): Promise<Buffer> {
  return scrypt(passphrase, salt, 32, SCRYPT);
}

function encode(fields: Omit<ContainerHeader, 'bytes'>): ContainerHeader {
  const bytes = Buffer.alloc(HEADER_BYTES);
  let at = MAGIC.copy(bytes, 0);
  at = bytes.writeUInt8(fields.protection, at);
  at = bytes.writeUInt32BE(fields.chunkSize, at);
  at += fields.salt.copy(bytes, at);
  at += fields.noncePrefix.copy(bytes, at);
  fields.keyCheck.copy(bytes, at);
  return { ...fields, bytes };
}

/** A new header: encrypted when a passphrase is given, with a fresh salt and nonce prefix. */
export async function newHeader(
  passphrase: string | undefined,
  chunkSize = DEFAULT_CHUNK_SIZE,
): Promise<OpenedHeader> {
  const salt = randomBytes(SALT_BYTES);
  const noncePrefix = randomBytes(NONCE_PREFIX_BYTES);
  if (passphrase === undefined) {
    const header = encode({
      protection: Protection.Checksummed,
      chunkSize,
      salt,
      noncePrefix,
      keyCheck: Buffer.alloc(KEY_CHECK_BYTES),
    });
    return { header, key: undefined };
  }
  const key = await deriveKey(passphrase, salt);
  const header = encode({
    protection: Protection.Encrypted,
    chunkSize,
    salt,
    noncePrefix,
    keyCheck: keyCheckOf(key),
  });
  return { header, key };
}

/** Parses a header and derives the key; refuses an unknown file, a missing or a wrong key. */
export async function openHeader(
  bytes: Buffer,
  passphrase: string | undefined,
): Promise<OpenedHeader> {
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new BackupRefusedError('not a MAS backup file (unknown header)');
  }
  let at = MAGIC.length;
  const protection = bytes.readUInt8(at++) as Protection;
  const chunkSize = bytes.readUInt32BE(at);
  at += 4;
  const salt = Buffer.from(bytes.subarray(at, (at += SALT_BYTES)));
  const noncePrefix = Buffer.from(bytes.subarray(at, (at += NONCE_PREFIX_BYTES)));
  const keyCheck = Buffer.from(bytes.subarray(at, at + KEY_CHECK_BYTES));
  if (chunkSize < 1 || chunkSize > 64 * 1024 * 1024) {
    throw new BackupRefusedError('damaged backup file (impossible chunk size in the header)');
  }
  const header = {
    protection,
    chunkSize,
    salt,
    noncePrefix,
    keyCheck,
    bytes: Buffer.from(bytes.subarray(0, HEADER_BYTES)),
  };
  if (protection === Protection.Checksummed) return { header, key: undefined };
  if (protection !== Protection.Encrypted) {
    throw new BackupRefusedError('damaged backup file (unknown protection in the header)');
  }
  if (passphrase === undefined) {
    throw new BackupRefusedError('the backup is encrypted: set BACKUP_ENCRYPTION_KEY');
  }
  const key = await deriveKey(passphrase, salt);
  if (!timingSafeEqual(keyCheckOf(key), keyCheck)) {
    throw new BackupRefusedError(
      'wrong BACKUP_ENCRYPTION_KEY for this backup (or its header was altered)',
    );
  }
  return { header, key };
}
