import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { childOutput } from '@mas/testing/child-output.js';

const DB_CLI = fileURLToPath(new URL('../../../dist/apps/api/src/cli/db.js', import.meta.url));
const KEY = 'cli-spec-passphrase-long';

describe('npm run db:backup and db:restore', () => {
  let source: TestDatabase;
  const targets: TestDatabase[] = [];
  let dir: string;
  let file: string;

  beforeAll(async () => {
    source = await createTestDatabase({ migrated: true });
    await source.sql(`
      WITH u AS (INSERT INTO users (email, password_hash, full_name, role)
                 VALUES ('cli@backup.test', 'x', 'Cli', 'student') RETURNING id),
           w AS (INSERT INTO token_wallets (user_id, balance) SELECT id, 9 FROM u)
      INSERT INTO token_usages (user_id, usage_type, delta, balance_before, balance_after)
      SELECT id, 'adjustment'::token_usage_type, 9, 0, 9 FROM u`);
    dir = await mkdtemp(join(tmpdir(), 'mas-backup-cli-'));
  });

  afterAll(async () => {
    await Promise.all([source, ...targets].map((database) => database?.drop()));
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (args: string[], env: Record<string, string>) => {
    const child = spawn(process.execPath, [DB_CLI, ...args], {
      env: { ...process.env, DATABASE_URL: source.url, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return childOutput(child);
  };
  const emptyTarget = async () => {
    const database = await createTestDatabase({ migrated: false });
    targets.push(database);
    return database;
  };

  it('backs up into --out, encrypted, and prints the file and the money figures', async () => {
    const { code, stdout } = await run(['backup', '--out', dir], { BACKUP_ENCRYPTION_KEY: KEY });
    expect(code).toBe(0);
    file = /^backup: (.+\.masbackup)$/m.exec(stdout)![1];
    expect(file.startsWith(dir)).toBe(true);
    expect(stdout).toContain('engine: copy');
    expect(stdout).toContain('encrypted: yes (AES-256-GCM)');
    expect(stdout).toMatch(/money: 1 wallets, balances 9; 1 ledger rows, deltas 9; 0 wallets off/);
  });

  it('restores into an empty database, prints each check and VERIFIED, exit 0', async () => {
    const target = await emptyTarget();
    const { code, stdout } = await run(['restore', file, '--into', target.url], {
      BACKUP_ENCRYPTION_KEY: KEY,
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok {8}append-only trigger on token_usages: present$/m);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^verdict: VERIFIED \(\d+ checks passed\)$/);
    const { rows } = await target.sql('SELECT balance FROM token_wallets');
    expect(rows).toEqual([{ balance: 9 }]);
  });

  it('refuses, exit 1, a target with tables and a wrong key; usage errors exit 2', async () => {
    const notEmpty = await run(['restore', file, '--into', source.url], {
      BACKUP_ENCRYPTION_KEY: KEY,
    });
    expect(notEmpty).toMatchObject({ code: 1 });
    expect(notEmpty.stderr).toMatch(/db:restore refused: the target database .* is not empty/);

    const target = await emptyTarget();
    const wrongKey = await run(['restore', file, '--into', target.url], {
      BACKUP_ENCRYPTION_KEY: 'not-the-right-passphrase',
    });
    expect(wrongKey).toMatchObject({ code: 1 });
    expect(wrongKey.stderr).toContain('db:restore refused: wrong BACKUP_ENCRYPTION_KEY');
    expect(wrongKey.stderr).not.toContain('not-the-right-passphrase');

    const usage = await run(['restore', file], { BACKUP_ENCRYPTION_KEY: KEY });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: db:restore');
    const engine = await run(['backup', '--out', dir, '--engine', 'tar'], {});
    expect(engine.code).toBe(2);
    expect(engine.stderr).toContain('usage: db:backup -- [--out <dir>] [--engine copy|pg_dump]');
  });
});
