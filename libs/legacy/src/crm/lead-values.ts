/**
 * SQL cleaning legacy lead values into what CreateLeadDto accepts. Each takes a SQL expression
 * (a staged column) and returns one.
 */

/** Source: lower case, runs of other characters one dash, within 60; empty → 'legacy'. */
export function cleanSource(source: string): string {
  return `coalesce(nullif(left(btrim(regexp_replace(lower(coalesce(${source}, '')), '[^a-z0-9_.-]+', '-', 'g'), '-_.'), 60), ''), 'legacy')`;
}

/**
 * Platform: the old code stored the raw `x-platform` header, sometimes with its name
 * ('x-platform: web', ' Web '): the header name is dropped, the value trimmed and lower-cased,
 * within 40 characters; empty → null.
 */
export function cleanPlatform(platform: string): string {
  return `left(nullif(btrim(regexp_replace(lower(btrim(${platform})), '^[a-z-]*platform\\s*:\\s*', '')), ''), 40)`;
}

/** E-mail: trimmed, empty → null (the column is citext, so case is kept and ignored). */
export function cleanEmail(email: string): string {
  return `nullif(btrim(${email}), '')`;
}

/** The key the staged leads' e-mail index is on; null for an empty e-mail. */
export function emailKey(email: string): string {
  return `nullif(lower(btrim(${email})), '')`;
}
