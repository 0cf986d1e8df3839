import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrationSource } from './migration.fixture.js';
import { runCli } from './run-cli.js';
import { DEFAULT_VERIFY_URL, verifyServerUrl } from './verify-scratch.js';

describe('verifyServerUrl', () => {
  it('prefers the direct URL (scratch databases and their sessions bypass a pooler)', () => {
    const direct = 'postgres://u@db:5432/mas';
    const pooled = 'postgres://u@pgbouncer:6432/mas';
    expect(verifyServerUrl({ DATABASE_DIRECT_URL: direct, DATABASE_URL: pooled })).toBe(direct);
    expect(verifyServerUrl({ DATABASE_URL: pooled, TEST_DATABASE_URL: direct })).toBe(pooled);
    expect(verifyServerUrl({})).toBe(DEFAULT_VERIFY_URL);
  });
});

describe('runCli', () => {
  let root: string;
  const previousCwd = process.cwd();

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'migration-guard-'));
    await mkdir(path.join(root, 'migrations'));
    const write = (name: string, text: string) =>
      writeFile(path.join(root, 'migrations', name), text);
    await write(
      '1700000000000-Initial.ts',
      migrationSource({
        up: [`CREATE TABLE "users" ("id" uuid NOT NULL, "bio" character varying(50))`],
        down: [`DROP TABLE "users"`],
      }),
    );
    await write(
      '1700000000100-WidenBio.ts',
      migrationSource({
        up: [`SET LOCAL lock_timeout = '5s'`, `ALTER TABLE "users" ALTER COLUMN "bio" TYPE text`],
      }),
    );
    await write(
      '1700000000200-DropBio.ts',
      migrationSource({ up: [`ALTER TABLE "users" DROP COLUMN "bio"`] }),
    );
    await write('helpers.d.ts', 'export {};');
    process.chdir(root);
  });

  afterAll(async () => {
    process.chdir(previousCwd);
    await rm(root, { recursive: true, force: true });
  });

  const run = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
    });
    return { code, stdout, stderr };
  };

  it('prints one line per finding and a summary, and exits 1 on a blocking finding', async () => {
    const { code, stdout } = await run();
    const lines = stdout.trimEnd().split('\n');
    expect(code).toBe(1);
    expect(lines[0]).toMatch(
      /^migrations\/1700000000000-Initial\.ts:7 style-varchar-length warn — users\.bio is varchar\(n\) /,
    );
    expect(lines[1]).toMatch(
      /^migrations\/1700000000200-DropBio\.ts:7 drop-column block — drops users\.bio \[up\]: .+ — .+$/,
    );
    expect(lines[2]).toMatch(
      /^migrations\/1700000000200-DropBio\.ts:7 missing-lock-timeout warn — /,
    );
    expect(lines.at(-1)).toMatch(
      /^migration-guard: 3 files, 1 blocking, 2 warnings, 0 acknowledged \(\d+ ms\)$/,
    );
  });

  it('lints only the given files but replays earlier ones for the catalog', async () => {
    const { code, stdout } = await run(
      '--dir',
      'migrations',
      'migrations/1700000000100-WidenBio.ts',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^migration-guard: 1 file, 0 blocking, 0 warnings, 0 acknowledged/);
  });

  it('prints JSON with --json', async () => {
    const { code, stdout } = await run('--json', '--dir=migrations');
    const parsed = JSON.parse(stdout) as {
      summary: { blocking: number };
      findings: { rule: string }[];
    };
    expect(code).toBe(1);
    expect(parsed.summary.blocking).toBe(1);
    expect(parsed.findings.map((finding) => finding.rule)).toEqual([
      'style-varchar-length',
      'drop-column',
      'missing-lock-timeout',
    ]);
  });

  it('with --verify merges static and dynamic findings into one line per statement', async () => {
    const { code, stdout } = await run('--verify');
    const lines = stdout.trimEnd().split('\n');
    expect(code).toBe(1);
    expect(lines[0]).toMatch(
      /^migrations\/1700000000000-Initial\.ts:7 \[up\] CREATE TABLE "users" .* — style-varchar-length warn — /,
    );
    expect(lines[1]).toMatch(
      /^migrations\/1700000000200-DropBio\.ts:7 \[up\] ALTER TABLE "users" DROP COLUMN "bio" — drop-column block, missing-lock-timeout warn — drops users\.bio; /,
    );
    // Widening varchar(50) to text does not rewrite users: no dynamic finding on WidenBio.
    expect(stdout).not.toContain('WidenBio');
    expect(lines.at(-1)).toMatch(
      /^migration-guard: 3 files, 1 blocking, 2 warnings, 0 acknowledged/,
    );
  });

  it('exits 2 on a usage error or a missing directory', async () => {
    expect((await run('--bogus')).code).toBe(2);
    const missing = await run('--dir', 'nowhere');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere');
  });
});
