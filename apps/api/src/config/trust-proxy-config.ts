import { isIP } from 'node:net';
import { ConfigError, type EnvReader } from '@mas/persistence';

/** Express's `trust proxy`: off, a hop count, or the proxies' addresses and names. */
export type TrustProxy = false | number | string;

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length || !isIP(address)) return false;
  return bits === undefined || /^\d{1,3}$/.test(bits);
}

/**
 * TRUST_PROXY decides whose X-Forwarded-For the app believes, and so which address the per-address
 * limits count. Unset, the header is ignored (a client cannot pick its own address). `true` is
 * refused: it would believe any header a client sends.
 */
export function loadTrustProxy(read: EnvReader): TrustProxy {
  if (!read.has('TRUST_PROXY')) return false;
  const value = read.string('TRUST_PROXY').trim();
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  const valid = entries.every((entry) => NAMED_RANGES.has(entry) || isAddressOrRange(entry));
  if (!valid) {
    throw new ConfigError(
      'TRUST_PROXY',
      'must be a hop count, or a comma-separated list of loopback, linklocal, uniquelocal, IP addresses or CIDR ranges',
    );
  }
  return entries.join(',');
}
