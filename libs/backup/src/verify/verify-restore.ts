import { connectClient, type DatabaseTarget } from '../database-client.js';
import { type Manifest } from '../manifest.js';
import { listSequences, quoteName, tableKey } from '../snapshot/catalog.js';
import {
  APPEND_ONLY_TRIGGER,
  type DatabaseFacts,
  NO_TRUNCATE_TRIGGER,
  readDatabaseFacts,
  SLOT_EXCLUSION,
} from '../snapshot/database-facts.js';

export interface Check {
  name: string;
  ok: boolean;
  /** What was found, and when it differs, what the manifest says. */
  detail: string;
}

export interface Verification {
  ok: boolean;
  checks: Check[];
}

const check = (name: string, ok: boolean, detail: string): Check => ({ name, ok, detail });

/**
 * Compares a restored database with the backup's manifest, in one snapshot: migrations at the
 * recorded head, every table's row count, the money sums and the ledger invariant, the append-only
 * trigger and the exclusion constraint (with every other constraint, trigger and index), and the
 * sequences.
 */
export async function verifyAgainstManifest(
  target: DatabaseTarget,
  manifest: Manifest,
): Promise<Verification> {
  const client = await connectClient(target, 'verify');
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const facts = await readDatabaseFacts(client);
    const counts = await countRows(client, manifest);
    const sequences = await listSequences(client);
    await client.query('COMMIT');
    const checks = [
      checkMigrations(manifest, facts),
      checkRows(manifest, counts),
      ...checkMoney(manifest, facts),
      ...checkGuards(manifest, facts),
      checkSequences(manifest, sequences),
    ];
    return { ok: checks.every((entry) => entry.ok), checks };
  } finally {
    await client.end();
  }
}

async function countRows(
  client: Awaited<ReturnType<typeof connectClient>>,
  manifest: Manifest,
): Promise<Map<string, number | null>> {
  const counts = new Map<string, number | null>();
  for (const table of manifest.tables) {
    const name = quoteName(table.schema, table.name);
    const { rows } = await client.query<{ found: boolean }>(
      'SELECT to_regclass($1) IS NOT NULL AS found',
      [name],
    );
    const count = rows[0].found
      ? (await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`)).rows[0].n
      : null;
    counts.set(tableKey(table), count === null ? null : Number(count));
  }
  return counts;
}

function checkMigrations(manifest: Manifest, facts: DatabaseFacts): Check {
  const same = facts.migrations.join('\n') === manifest.facts.migrations.join('\n');
  return check(
    'migrations at the recorded head',
    same,
    same
      ? `${facts.migrations.at(-1) ?? '(none)'} (${facts.migrations.length} applied)`
      : `found ${facts.migrations.at(-1) ?? '(none)'} (${facts.migrations.length}), ` +
          `backup has ${manifest.migrationHead ?? '(none)'} (${manifest.facts.migrations.length})`,
  );
}

function checkRows(manifest: Manifest, counts: Map<string, number | null>): Check {
  const wrong = manifest.tables
    .filter((table) => counts.get(tableKey(table)) !== table.rows)
    .map((table) => {
      const found = counts.get(tableKey(table));
      return `${tableKey(table)}: ${found === null ? 'missing' : found} (backup ${table.rows})`;
    });
  const total = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
  return check(
    'row counts per table',
    wrong.length === 0,
    wrong.length
      ? wrong.join('; ')
      : `${manifest.tables.length} tables, ${total} rows, as in the backup`,
  );
}

function checkMoney(manifest: Manifest, facts: DatabaseFacts): Check[] {
  const expected = manifest.facts.money;
  const found = facts.money;
  if (!expected) return [check('token books', found === null, 'none in this schema')];
  if (!found) return [check('token books', false, 'token_wallets or token_usages missing')];
  return [
    check(
      'wallet balances',
      found.wallets === expected.wallets &&
        found.walletBalanceTotal === expected.walletBalanceTotal,
      `${found.wallets} wallets, total ${found.walletBalanceTotal}` +
        ` (backup ${expected.wallets}, ${expected.walletBalanceTotal})`,
    ),
    check(
      'ledger deltas',
      found.ledgerRows === expected.ledgerRows &&
        found.ledgerDeltaTotal === expected.ledgerDeltaTotal,
      `${found.ledgerRows} rows, total ${found.ledgerDeltaTotal}` +
        ` (backup ${expected.ledgerRows}, ${expected.ledgerDeltaTotal})`,
    ),
    check(
      'ledger invariant (balance = sum of deltas per wallet)',
      // As the snapshot had it: a restore reproduces the books, it does not judge them (the
      // manifest and db:backup show a source whose books were already off).
      found.walletsOffLedger === expected.walletsOffLedger,
      `${found.walletsOffLedger} wallets off their ledger (backup ${expected.walletsOffLedger})`,
    ),
  ];
}

function checkGuards(manifest: Manifest, facts: DatabaseFacts): Check[] {
  const present = new Set(facts.guards);
  const expected = new Set(manifest.facts.guards);
  const missing = [...expected].filter((guard) => !present.has(guard));
  const extra = [...present].filter((guard) => !expected.has(guard));
  const named = (label: string, guard: string): Check[] =>
    expected.has(guard)
      ? [check(label, present.has(guard), present.has(guard) ? 'present' : 'MISSING')]
      : [];
  return [
    ...named('append-only trigger on token_usages', APPEND_ONLY_TRIGGER),
    ...named('no-truncate trigger on token_usages', NO_TRUNCATE_TRIGGER),
    ...named('exclusion constraint on slots (no overlap)', SLOT_EXCLUSION),
    check(
      'constraints, triggers and indexes',
      missing.length === 0 && extra.length === 0,
      missing.length || extra.length
        ? [
            missing.length ? `missing: ${missing.join(', ')}` : '',
            extra.length ? `not in the backup: ${extra.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('; ')
        : `${present.size}, as in the backup`,
    ),
  ];
}

function checkSequences(
  manifest: Manifest,
  sequences: { schema: string; name: string; lastValue: string | null }[],
): Check {
  const found = new Map(sequences.map((entry) => [tableKey(entry), entry.lastValue]));
  const wrong = manifest.sequences
    .filter((entry) => found.get(tableKey(entry)) !== entry.lastValue)
    .map(
      (entry) =>
        `${tableKey(entry)}: ${found.get(tableKey(entry)) ?? 'unset'} (backup ${entry.lastValue ?? 'unset'})`,
    );
  return check(
    'sequences',
    wrong.length === 0,
    wrong.length ? wrong.join('; ') : `${manifest.sequences.length} at their recorded positions`,
  );
}

/** The verdict as printed by db:restore and logged by the drill: one line per check, then the verdict. */
export function formatVerification(verification: Verification): string {
  const lines = verification.checks.map(
    (entry) => `${entry.ok ? 'ok      ' : 'MISMATCH'}  ${entry.name}: ${entry.detail}`,
  );
  const failed = verification.checks.filter((entry) => !entry.ok).length;
  lines.push(
    verification.ok
      ? `verdict: VERIFIED (${verification.checks.length} checks passed)`
      : `verdict: FAILED (${failed} of ${verification.checks.length} checks failed)`,
  );
  return lines.join('\n');
}
