import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLegacyDatabase, LEGACY, LEGACY_PASSWORD } from '@mas/testing/legacy-database.js';
import { importState } from '@mas/testing/legacy-state.js';
import { login, startTestApp, testEnv } from '@mas/testing/test-app.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { childOutput } from '@mas/testing/child-output.js';

const CLI = fileURLToPath(
  new URL('../../../dist/apps/api/src/cli/legacy-import.js', import.meta.url),
);
/** Small, so the fixture takes hundreds of batches and a kill lands mid-way. */
const BATCH = '20';
const LEGACY_TABLES = 12;

describe('npm run legacy:import', () => {
  let legacy: TestDatabase;
  let uninterrupted: TestDatabase;
  let killed: TestDatabase;
  let workDir: string;
  const since = new Date();

  const start = (target: TestDatabase, ...args: string[]) =>
    spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...testEnv(target) } });
  const run = (target: TestDatabase, ...args: string[]) => childOutput(start(target, ...args));
  const importInto = (target: TestDatabase, ...args: string[]) =>
    run(target, '--from', legacy.url, '--batch-size', BATCH, ...args);
  const reportFile = (name: string) => join(workDir, name);
  const readReport = async (name: string) =>
    JSON.parse(await readFile(reportFile(name), 'utf8')) as {
      dryRun: boolean;
      tables: { table: string; legacyRows: number }[];
    };
  const count = async (db: TestDatabase, table: string) =>
    (await db.sql(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

  beforeAll(async () => {
    [legacy, uninterrupted, killed] = await Promise.all([
      createLegacyDatabase(),
      createTestDatabase({ migrated: true }),
      createTestDatabase({ migrated: true }),
    ]);
    workDir = await mkdtemp(join(tmpdir(), 'legacy-import-'));
  });

  afterAll(async () => {
    await Promise.all([legacy?.drop(), uninterrupted?.drop(), killed?.drop()]);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it.each([
    ['no --from', [], '--from <legacy postgres url> is required'],
    ['a --from that is not a URL', ['--from', 'legacy-db'], 'postgres:// or postgresql:// URL'],
    [
      'an unknown time zone',
      ['--from', 'postgres://x/y', '--legacy-timezone', 'Mars/Olympus'],
      "'Mars/Olympus' is not an IANA time zone",
    ],
    ['a batch size of 0', ['--from', 'postgres://x/y', '--batch-size', '0'], '--batch-size must'],
    ['an unknown option', ['--from', 'postgres://x/y', '--force'], "Unknown option '--force'"],
  ])('exits 2 with the usage on %s', async (_case, args, message) => {
    const { code, stdout, stderr } = await run(uninterrupted, ...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('usage: npm run legacy:import');
  });

  it('exits 1 before importing anything when the --report file cannot be written', async () => {
    const { code, stderr } = await importInto(
      uninterrupted,
      '--report',
      join(workDir, 'no-such-dir', 'report.json'),
    );
    expect(code).toBe(1);
    expect(stderr).toContain('legacy:import: ENOENT: no such file or directory');
    expect(await count(uninterrupted, 'legacy_import.checkpoints')).toBe(0);
  });

  it('exits 1 and writes nothing when --from is not the legacy schema', async () => {
    const { code, stderr } = await run(uninterrupted, '--from', killed.url);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /does not look like the old MAS backend's schema: .*public\.users lacks column\(s\) "password", "fullName"/,
    );
    expect(stderr).toContain('mas_crm.leads lacks column(s) "fullName"');
    expect(await count(uninterrupted, 'legacy_import.checkpoints')).toBe(0);
  });

  it('imports every legacy row into staging and prints the report ending with the money parity line', async () => {
    const { code, stdout, stderr } = await importInto(
      uninterrupted,
      '--legacy-timezone',
      'Asia/Kolkata',
      '--report',
      reportFile('uninterrupted.json'),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^legacy:import completed in [\d.]+ s\.\nlegacy wall-clock time zone: Asia\/Kolkata/,
    );
    expect(stdout).toMatch(/\ntoken_usage +4,009 +\d/);
    expect(stdout).toContain(
      '\nmoney parity: OK — legacy balances 4115 (+5 from 1 negative balances counted as 0, ' +
        '-0 of users not imported, +0 from ledgers without a balance row) = 4120; new balances 4120 ' +
        '= ledger 4105 (4008 rows) + overdraft covers 5 (1) + balance adjustments 10 (1)',
    );
    // The native ledger invariants, in SQL: every wallet is the sum of its deltas and its last
    // balance_after, and every chain links up.
    const broken = await uninterrupted.sql(
      `WITH chain AS (
         SELECT user_id, balance_before, balance_after,
                lag(balance_after) OVER (PARTITION BY user_id ORDER BY entry_no) AS previous_after,
                row_number() OVER (PARTITION BY user_id ORDER BY entry_no DESC) AS from_end
           FROM token_usages)
       SELECT w.user_id FROM token_wallets w
         LEFT JOIN (SELECT user_id, sum(delta) AS total FROM token_usages GROUP BY user_id) t USING (user_id)
         LEFT JOIN chain last ON last.user_id = w.user_id AND last.from_end = 1
        WHERE w.balance <> coalesce(t.total, 0) OR w.balance <> coalesce(last.balance_after, 0)
       UNION ALL
       SELECT user_id FROM chain WHERE previous_after IS NOT NULL AND balance_before <> previous_after`,
    );
    expect(broken.rows).toEqual([]);

    const report = await readReport('uninterrupted.json');
    expect(report.dryRun).toBe(false);
    for (const { table, legacyRows } of report.tables) {
      const source = table === 'leads' ? 'mas_crm.leads' : table;
      expect([table, legacyRows]).toEqual([table, await count(legacy, source)]);
      expect([table, await count(uninterrupted, `legacy_import."${table}"`)]).toEqual([
        table,
        legacyRows,
      ]);
    }
    // Staged verbatim: the wall-clock text and exact numerics survive the trip.
    const course = await uninterrupted.sql(
      `SELECT "createdAt"::text AS at, price::text FROM legacy_import.courses WHERE code = 'mas 101'`,
    );
    expect(course.rows).toEqual([{ at: '2021-01-01 00:00:00', price: '1000.50' }]);
    const checkpoints = await uninterrupted.sql(
      `SELECT count(*)::int AS steps, bool_and(done) AS done FROM legacy_import.checkpoints`,
    );
    expect(checkpoints.rows[0].steps).toBeGreaterThanOrEqual(LEGACY_TABLES);
    expect(checkpoints.rows[0].done).toBe(true);
  });

  it('killed with SIGKILL mid-import and started again, ends exactly as the uninterrupted run', async () => {
    const child = start(
      killed,
      '--from',
      legacy.url,
      '--batch-size',
      BATCH,
      '--legacy-timezone',
      'Asia/Kolkata',
    );
    const exited = childOutput(child);
    // Poll faster than until() does: the kill must land while batches are still being copied.
    const deadline = Date.now() + 30_000;
    while ((await count(killed, 'legacy_import.checkpoints')) < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGKILL');
    expect((await exited).code).toBeNull();
    const atKill = await killed.sql(
      `SELECT count(*) FILTER (WHERE done)::int AS done, sum(units_done)::int AS units
         FROM legacy_import.checkpoints`,
    );
    expect(atKill.rows[0].units).toBeGreaterThan(0);
    expect(atKill.rows[0].done).toBeLessThan(LEGACY_TABLES);

    const resumed = await importInto(
      killed,
      '--legacy-timezone',
      'Asia/Kolkata',
      '--report',
      reportFile('resumed.json'),
    );
    expect(resumed.code).toBe(0);
    expect(await importState(killed, since)).toEqual(await importState(uninterrupted, since));
    expect(await readReport('resumed.json')).toEqual(await readReport('uninterrupted.json'));
  });

  it('killed with SIGKILL inside the phases (batches of one) and resumed, ends exactly as the uninterrupted run', async () => {
    const target = await createTestDatabase({ migrated: true });
    try {
      const child = start(
        target,
        '--from',
        legacy.url,
        '--batch-size',
        '1',
        '--legacy-timezone',
        'Asia/Kolkata',
      );
      const exited = childOutput(child);
      const inPhase = async () =>
        (
          await target.sql(
            `SELECT count(*)::int AS n FROM legacy_import.checkpoints
              WHERE step NOT LIKE 'copy:%' AND units_done > 0 AND NOT done`,
          )
        ).rows[0].n as number;
      const deadline = Date.now() + 60_000;
      while ((await inPhase()) === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 5));
      child.kill('SIGKILL');
      expect((await exited).code).toBeNull();
      expect(await inPhase()).toBe(1);

      const resumed = await importInto(target, '--legacy-timezone', 'Asia/Kolkata');
      expect(resumed.code).toBe(0);
      expect(await importState(target, since)).toEqual(await importState(uninterrupted, since));
    } finally {
      await target.drop();
    }
  });

  it('a second run changes nothing and reports the same', async () => {
    const before = await importState(uninterrupted, since);
    const again = await importInto(
      uninterrupted,
      '--legacy-timezone',
      'Asia/Kolkata',
      '--report',
      reportFile('again.json'),
    );
    expect(again.code).toBe(0);
    expect(await importState(uninterrupted, since)).toEqual(before);
    expect(await readReport('again.json')).toEqual(await readReport('uninterrupted.json'));
  });

  it('refuses to go on with another --legacy-timezone than the import started with', async () => {
    const before = await importState(uninterrupted, since);
    const other = await importInto(uninterrupted, '--legacy-timezone', 'UTC');
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('started with --legacy-timezone Asia/Kolkata');
    expect(await importState(uninterrupted, since)).toEqual(before);
  });

  it('--dry-run reports what the import would do and leaves the target exactly as it was', async () => {
    const target = await createTestDatabase({ migrated: true });
    try {
      const first = await importInto(
        target,
        '--dry-run',
        '--legacy-timezone',
        'Asia/Kolkata',
        '--report',
        reportFile('dry.json'),
      );
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^legacy:import DRY RUN: nothing was written/);
      const dry = await readReport('dry.json');
      expect(dry.dryRun).toBe(true);
      expect({ ...dry, dryRun: false }).toEqual(await readReport('uninterrupted.json'));
      for (const table of ['checkpoints', 'user_map', 'report_items', 'users', 'token_usage'])
        expect([table, await count(target, `legacy_import.${table}`)]).toEqual([table, 0]);
      // The app's boot seeds its admin; a dry run adds nothing to it.
      expect(await count(target, 'public.users')).toBe(1);
      expect(await count(target, 'public.token_usages')).toBe(0);

      const before = await importState(target, since);
      const second = await importInto(target, '--dry-run', '--legacy-timezone', 'Asia/Kolkata');
      expect(second.code).toBe(0);
      expect(await importState(target, since)).toEqual(before);
    } finally {
      await target.drop();
    }
  });

  it('a merged user and a bcrypt user log in through HTTP, and their hashes become scrypt', async () => {
    const app = await startTestApp(uninterrupted);
    try {
      // Ann's case-twin was merged into Ann: either spelling logs in to Ann with Ann's password.
      for (const email of ['ann@example.com', 'Ann@Example.com']) {
        const token = await login(app, email, LEGACY_PASSWORD);
        const me = await app.http().get('/api/users/me').set('Authorization', `Bearer ${token}`);
        expect([email, me.status, me.body.id]).toEqual([email, 200, LEGACY.ann]);
      }
      await app
        .http()
        .post('/api/auth/login')
        .send({ email: 'ann@example.com', password: 'another-password' })
        .expect(401);
      // The superadmin became an admin; the old bcrypt hash still works once, then it is scrypt.
      const bossToken = await login(app, 'boss@example.com', LEGACY_PASSWORD);
      const boss = await app
        .http()
        .get('/api/users/me')
        .set('Authorization', `Bearer ${bossToken}`);
      expect(boss.body.role).toBe('admin');
      const hashes = await uninterrupted.sql(
        `SELECT id, split_part(password_hash, '$', 1) AS scheme FROM users WHERE id = ANY($1) ORDER BY id`,
        [[LEGACY.ann, LEGACY.boss]],
      );
      expect(hashes.rows).toEqual(
        [
          { id: LEGACY.ann, scheme: 'scrypt' },
          { id: LEGACY.boss, scheme: 'scrypt' },
        ].sort((a, b) => a.id.localeCompare(b.id)),
      );
      await login(app, 'boss@example.com', LEGACY_PASSWORD);
    } finally {
      await app.close();
    }
  });
});
