/**
 * Retry-After in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent
 * or unreadable, so the caller falls back to its own backoff.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date names its weekday and month; anything else (`-5`) is not one, whatever Date.parse says.
  const date = /^[a-z]{3}, /i.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
