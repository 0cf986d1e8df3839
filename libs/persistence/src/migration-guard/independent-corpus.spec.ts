import type pg from 'pg';
import type { Finding } from './finding.js';
import {
  INDEPENDENT_CASES,
  INDEPENDENT_SETUP,
  type IndependentCase,
  type Verdict,
} from './independent-corpus.data.js';
import { catalogFromSources, lintSource } from './lint.js';
import { migrationSource } from './migration.fixture.js';
import { MigrationObserver, type StatementObservation } from './verify-observe.js';
import { createScratchDatabase, DEFAULT_VERIFY_URL } from './verify-scratch.js';

const serverUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_VERIFY_URL;

/** The targets the guard is held to on this corpus. */
const MIN_RIGHT = 0.95;
const MAX_SAFE_BLOCKED = 0.02;

const BLOCKING_MODES = ['AccessExclusive', 'Exclusive', 'ShareRowExclusive', 'Share'];

/** One statement's facts in the notation of IndependentCase.seen. */
function factsOf(observation: StatementObservation): string {
  if (observation.error !== undefined) return 'error';
  const held = [...observation.locks.values()].flat().map((mode) => mode.replace(/Lock$/, ''));
  const lock = BLOCKING_MODES.find((mode) => held.includes(mode));
  const facts = [
    observation.rewritten.length > 0 ? 'rewrite' : '',
    lock ?? '',
    observation.rowWork.size > 0 || observation.validated.length > 0 ? 'scan' : '',
  ].filter((fact) => fact !== '');
  return facts.length > 0 ? facts.join('+') : 'none';
}

/** Runs a case on the setup schema (rebuilt, committed) and rolls a transactional case back. */
async function observeCase(
  client: pg.Client,
  probe: pg.Client,
  testCase: IndependentCase,
): Promise<string> {
  await client.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public');
  for (const statement of INDEPENDENT_SETUP) await client.query(statement);
  const observer = await MigrationObserver.start(client);
  const facts: string[] = [];
  if (testCase.transaction === false) {
    for (const sql of testCase.sql) facts.push(factsOf(await observer.runAlone(sql, probe)));
    return facts.join(' ; ');
  }
  await client.query('BEGIN');
  try {
    for (const sql of testCase.sql) {
      const observed = factsOf(await observer.run(sql));
      facts.push(observed);
      if (observed === 'error') break;
    }
  } finally {
    await client.query('ROLLBACK');
  }
  return facts.join(' ; ');
}

/** Block when a statement rewrote a pre-existing table, or worked on rows under a blocking lock. */
function serverSaysBlock(seen: string): boolean {
  return seen.split(' ; ').some((facts) => {
    const parts = facts.split('+');
    return (
      parts.includes('rewrite') ||
      (parts.includes('scan') && parts.some((part) => BLOCKING_MODES.includes(part)))
    );
  });
}

async function staticVerdict(
  testCase: IndependentCase,
  setupCatalog: Awaited<ReturnType<typeof catalogFromSources>>,
): Promise<{ verdict: Verdict; findings: Finding[] }> {
  const lockTimeout =
    testCase.transaction === false ? `SET lock_timeout = '5s'` : `SET LOCAL lock_timeout = '5s'`;
  const source = migrationSource({
    up: [lockTimeout, ...testCase.sql],
    ...(testCase.transaction === false ? { transaction: false } : {}),
  });
  const findings = (
    await lintSource('migrations/1700000000999-Case.ts', source, setupCatalog)
  ).findings.filter((finding) => !finding.acknowledged);
  const verdict: Verdict = findings.some((finding) => finding.severity === 'block')
    ? 'block'
    : findings.length > 0
      ? 'warn'
      : 'ok';
  return { verdict, findings };
}

describe('migration guard on an independent corpus (squawk, strong_migrations, PG docs)', () => {
  it('has 120+ cases from each source, with unique ids', () => {
    expect(INDEPENDENT_CASES.length).toBeGreaterThanOrEqual(120);
    expect(new Set(INDEPENDENT_CASES.map((testCase) => testCase.id)).size).toBe(
      INDEPENDENT_CASES.length,
    );
    for (const source of ['squawk', 'strong_migrations', 'pg-docs']) {
      expect(
        INDEPENDENT_CASES.filter((testCase) => testCase.source === source).length,
      ).toBeGreaterThan(10);
    }
  });

  it('every verdict follows from what the server does, or from a named hazard', () => {
    const unjustified = INDEPENDENT_CASES.filter((testCase) => {
      const slow = serverSaysBlock(testCase.seen);
      if (slow) return testCase.expected !== 'block';
      if (testCase.expected === 'block')
        return testCase.hazard === undefined || testCase.hazard === 'style';
      if (testCase.expected === 'warn') return testCase.hazard !== 'style';
      return testCase.hazard !== undefined;
    });
    expect(unjustified.map((testCase) => testCase.id)).toEqual([]);
  });

  it('each case does on PostgreSQL what its `seen` says', async () => {
    const scratch = await createScratchDatabase(serverUrl);
    try {
      const probe = await scratch.secondSession();
      const wrong: string[] = [];
      for (const testCase of INDEPENDENT_CASES) {
        const seen = await observeCase(scratch.client, probe, testCase);
        if (seen !== testCase.seen)
          wrong.push(`${testCase.id}: seen '${seen}', recorded '${testCase.seen}'`);
      }
      expect(wrong).toEqual([]);
    } finally {
      await scratch.drop();
    }
  });

  it(`the static guard is right on ≥ ${MIN_RIGHT * 100}% and blocks ≤ ${MAX_SAFE_BLOCKED * 100}% of the safe cases`, async () => {
    const catalog = await catalogFromSources([
      {
        fileName: 'migrations/1600000000000-Setup.ts',
        sourceText: migrationSource({ up: INDEPENDENT_SETUP }),
      },
    ]);
    const wrong: string[] = [];
    let safe = 0;
    let safeBlocked = 0;
    for (const testCase of INDEPENDENT_CASES) {
      const { verdict, findings } = await staticVerdict(testCase, catalog);
      if (testCase.expected !== 'block') {
        safe += 1;
        if (verdict === 'block') safeBlocked += 1;
      }
      if (verdict !== testCase.expected) {
        const rules = findings.map((finding) => `${finding.rule} (${finding.message})`).join('; ');
        wrong.push(
          `${testCase.id} [${testCase.source}]: expected ${testCase.expected}, got ${verdict} ${rules}`,
        );
      }
    }
    const total = INDEPENDENT_CASES.length;
    const right = total - wrong.length;
    process.stdout.write(
      `independent corpus: ${right}/${total} right (${((right / total) * 100).toFixed(1)}%), ` +
        `safe blocked ${safeBlocked}/${safe} (${((safeBlocked / safe) * 100).toFixed(1)}%)\n` +
        wrong.map((line) => `  wrong: ${line}\n`).join(''),
    );
    expect(right / total).toBeGreaterThanOrEqual(MIN_RIGHT);
    expect(safeBlocked / safe).toBeLessThanOrEqual(MAX_SAFE_BLOCKED);
  });
});
