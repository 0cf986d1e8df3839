import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FixtureLine } from './migration.fixture.js';
import { migrationSource } from './migration.fixture.js';
import { lintMigrations } from './lint.js';
import { formatVerifiedText } from './report-verified.js';
import { DEFAULT_VERIFY_URL } from './verify-scratch.js';

const serverUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_VERIFY_URL;
const LOCK_TIMEOUT = `SET LOCAL lock_timeout = '5s'`;
const BASE = migrationSource({
  up: [
    `CREATE TABLE "t" ("id" bigint PRIMARY KEY, "n" integer NOT NULL, "s" text)`,
    `CREATE FUNCTION "widen_n"() RETURNS void LANGUAGE sql AS $$ ALTER TABLE "t" ALTER COLUMN "n" TYPE bigint $$`,
  ],
});

describe('lintMigrations with verifyOn (db:lint --verify)', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'migration-guard-verify-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** A migrations dir of its own: the base table, then `up` as the migration under test. */
  async function fixture(
    name: string,
    up: FixtureLine[],
    options: { transaction?: false } = {},
  ): Promise<string> {
    const dir = path.join(root, name);
    await mkdir(dir);
    await writeFile(path.join(dir, '1700000000000-Base.ts'), BASE);
    await writeFile(path.join(dir, '1700000000100-Change.ts'), migrationSource({ up, ...options }));
    return name;
  }

  const lint = (dir: string, verify: boolean) =>
    lintMigrations({
      cwd: root,
      dir,
      files: [`${dir}/1700000000100-Change.ts`],
      ...(verify ? { verifyOn: serverUrl } : {}),
    });

  // A function an earlier migration created changes a column type (int -> bigint rewrites every
  // row); the static rules see only a SELECT.
  const HIDDEN_REWRITE = `SELECT "widen_n"()`;

  it('catches a rewrite that no static rule names (inside a function)', async () => {
    const dir = await fixture('hidden', [LOCK_TIMEOUT, HIDDEN_REWRITE]);

    const statically = await lint(dir, false);
    expect(statically.findings).toEqual([]);

    const verified = await lint(dir, true);
    expect(verified.passed).toBe(false);
    expect(verified.findings.map((finding) => [finding.rule, finding.line])).toEqual([
      ['dynamic-rewrite', 8],
    ]);
    expect(verified.findings[0]?.message).toMatch(/^rewrote t, t_pkey \(/);
    expect(formatVerifiedText(verified)).toMatch(
      /^hidden\/1700000000100-Change\.ts:8 \[up\] SELECT "widen_n"\(\) — dynamic-rewrite block — rewrote t/,
    );
  });

  it('needs only the server: the database DATABASE_URL names may not exist yet', async () => {
    const dir = await fixture('no-database', [LOCK_TIMEOUT, HIDDEN_REWRITE]);
    const missing = new URL(serverUrl);
    missing.pathname = '/mas_guard_database_that_does_not_exist';
    const verified = await lintMigrations({
      cwd: root,
      dir,
      files: [`${dir}/1700000000100-Change.ts`],
      verifyOn: missing.toString(),
    });
    expect(verified.findings.map((finding) => finding.rule)).toEqual(['dynamic-rewrite']);
  });

  it('catches ACCESS EXCLUSIVE held by ADD COLUMN through a whole-table UPDATE', async () => {
    const dir = await fixture('backfill', [
      LOCK_TIMEOUT,
      `ALTER TABLE "t" ADD COLUMN "flag" boolean`,
      `UPDATE "t" SET "flag" = true`,
    ]);

    const verified = await lint(dir, true);
    const dynamic = verified.findings.filter((finding) => finding.rule.startsWith('dynamic-'));
    expect(dynamic.map((finding) => [finding.rule, finding.line])).toEqual([
      ['dynamic-exclusive-lock', 9],
    ]);
    expect(dynamic[0]?.message).toMatch(
      /^holds ACCESS EXCLUSIVE on t while it works on rows \(t: 1 scan, 2 rows updated\)/,
    );
    expect(verified.passed).toBe(false);
  });

  it('names a constraint validated by a scan under a write-blocking lock', async () => {
    const dir = await fixture('validating', [
      LOCK_TIMEOUT,
      `ALTER TABLE "t" ADD CONSTRAINT "n_positive" CHECK ("n" > 0)`,
    ]);

    const verified = await lint(dir, true);
    const dynamic = verified.findings.filter((finding) => finding.rule.startsWith('dynamic-'));
    expect(dynamic.map((finding) => [finding.rule, finding.line])).toEqual([
      ['dynamic-validating-scan', 8],
    ]);
    expect(dynamic[0]?.message).toMatch(
      /^validated n_positive on t by a scan of every row while holding ACCESS EXCLUSIVE on t \(/,
    );
  });

  it('observes the locks of a transaction = false migration, statement by statement', async () => {
    const dir = await fixture(
      'no-transaction',
      [
        `SET lock_timeout = '5s'`,
        `CREATE INDEX CONCURRENTLY "t_s" ON "t" ("s")`,
        `CREATE INDEX "t_n" ON "t" ("n")`,
        `ALTER TABLE "t" ADD CONSTRAINT "n_positive" CHECK ("n" > 0) NOT VALID`,
        `ALTER TABLE "t" VALIDATE CONSTRAINT "n_positive"`,
      ],
      { transaction: false },
    );

    const verified = await lint(dir, true);
    const dynamic = verified.findings.filter((finding) => finding.rule.startsWith('dynamic-'));
    // CONCURRENTLY (run outside a transaction block, under the probe) and VALIDATE (its own
    // transaction, SHARE UPDATE EXCLUSIVE) block no writes; the plain CREATE INDEX holds SHARE.
    expect(dynamic.map((finding) => [finding.rule, finding.line])).toEqual([
      ['dynamic-exclusive-lock', 10],
    ]);
    expect(dynamic[0]?.message).toMatch(/^holds SHARE on t while it works on rows \(t: 1 scan\)/);
    expect(verified.notes).toEqual([]);
  });

  it('passes a safe migration (a new table, a nullable column) with no finding', async () => {
    const dir = await fixture('safe', [
      LOCK_TIMEOUT,
      `CREATE TABLE "u" ("id" bigint PRIMARY KEY, "t_id" bigint REFERENCES "u" ("id"))`,
      `INSERT INTO "u" ("id") VALUES (1)`,
      `ALTER TABLE "t" ADD COLUMN "note" text`,
      `ALTER TABLE "t" ALTER COLUMN "s" SET DEFAULT 'x'`,
    ]);

    const verified = await lint(dir, true);
    expect(verified.findings).toEqual([]);
    expect(verified.passed).toBe(true);
    expect(verified.verified).toBe(true);
  });

  it('reports a statement that fails once the table has rows', async () => {
    const dir = await fixture('not-null', [
      LOCK_TIMEOUT,
      `ALTER TABLE "t" ADD COLUMN "required" integer NOT NULL`,
    ]);

    const verified = await lint(dir, true);
    expect(verified.findings.map((finding) => finding.rule)).toContain('dynamic-failed');
    expect(verified.findings.find((finding) => finding.rule === 'dynamic-failed')?.message).toMatch(
      /contains null values/,
    );
  });

  it('lets an acknowledgement waive a dynamic finding, and ignores it without --verify', async () => {
    const dir = await fixture('acknowledged', [
      LOCK_TIMEOUT,
      { ts: '// migration-guard allow dynamic-rewrite: t is a small lookup table' },
      HIDDEN_REWRITE,
    ]);

    const verified = await lint(dir, true);
    expect(verified.passed).toBe(true);
    expect(verified.acknowledged).toBe(1);
    expect(verified.findings.map((finding) => [finding.rule, finding.acknowledged])).toEqual([
      ['dynamic-rewrite', true],
    ]);

    const statically = await lint(dir, false);
    expect(statically.findings).toEqual([]);
  });
});
