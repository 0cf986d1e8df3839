import type { RuleHit } from './finding.js';
import type { StatementObservation } from './verify-observe.js';

/** Lock modes that block writes to the table (pg_locks spelling). */
const WRITE_BLOCKING = [
  'AccessExclusiveLock',
  'ExclusiveLock',
  'ShareRowExclusiveLock',
  'ShareLock',
];

/**
 * A statement that holds a write-blocking lock on a pre-existing table yet does nothing with rows
 * (ADD COLUMN with a constant default, RENAME, SET DEFAULT, ...) is a catalog change: instantaneous
 * on any table size. One that takes this long on the scratch database's few rows is not.
 */
export const CATALOG_CHANGE_MAX_MS = 500;

/**
 * The dynamic rule: a rewrite of a pre-existing relation is a finding; so is a write-blocking lock
 * on a pre-existing table (taken by this statement or earlier in the transaction) while this
 * statement scans, updates or deletes rows of a pre-existing table, or runs longer than a catalog
 * change. The work on rows is what grows with the table, so the lock is held that long. A
 * constraint validated under such a lock is named as a validating scan.
 */
export function judgeStatement(observation: StatementObservation): RuleHit[] {
  const facts = describe(observation);
  if (observation.error !== undefined) {
    return [
      { rule: 'dynamic-failed', message: `failed on the scratch database: ${observation.error}` },
    ];
  }
  const hits: RuleHit[] = [];
  const rewrittenTables = new Set(observation.rewritten.map((relation) => relation.table));
  if (observation.rewritten.length > 0) {
    const names = observation.rewritten.map((relation) => relation.name).join(', ');
    hits.push({ rule: 'dynamic-rewrite', message: `rewrote ${names}${facts}` });
  }
  const slow = observation.durationMs >= CATALOG_CHANGE_MAX_MS;
  if (observation.rowWork.size === 0 && observation.validated.length === 0 && !slow) return hits;
  const held = [...observation.locks]
    .filter(([table]) => !rewrittenTables.has(table))
    .flatMap(([table, modes]) => {
      const blocking = modes.filter((mode) => WRITE_BLOCKING.includes(mode));
      return blocking.length > 0 ? [`${strongest(blocking)} on ${table}`] : [];
    });
  if (held.length === 0) return hits;
  if (observation.validated.length > 0) {
    hits.push({
      rule: 'dynamic-validating-scan',
      message: `validated ${observation.validated.join(', ')} by a scan of every row while holding ${held.join(', ')}${facts}`,
    });
    return hits;
  }
  const why = slow
    ? `for ${observation.durationMs} ms`
    : `while it works on rows (${[...observation.rowWork].map(([name, work]) => `${name}: ${work}`).join('; ')})`;
  for (const lock of held) {
    hits.push({ rule: 'dynamic-exclusive-lock', message: `holds ${lock} ${why}${facts}` });
  }
  return hits;
}

function strongest(modes: string[]): string {
  const mode = WRITE_BLOCKING.find((candidate) => modes.includes(candidate)) ?? modes[0] ?? '';
  return mode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

function describe(observation: StatementObservation): string {
  return ` (${observation.durationMs} ms)`;
}
