import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));
const copied = [
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'scripts',
  'apps',
  'libs',
  'migrations',
  'bench',
  'dist',
];
const deletedMigration = '1796040939071-AddUserTokenVersion';

/**
 * A scratch copy of the project (with its already built dist/, so the rebuild is incremental):
 * deleting a migration's source and rebuilding must remove its compiled file, so db:check can no
 * longer apply it and call the schema covered.
 */
describe('build after a migration source is deleted', () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'mas-stale-build-'));
    for (const entry of copied) {
      if (existsSync(join(projectRoot, entry))) {
        await cp(join(projectRoot, entry), join(scratch, entry), { recursive: true });
      }
    }
    await symlink(join(projectRoot, 'node_modules'), join(scratch, 'node_modules'));
  });

  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('removes the compiled migration, and db:check then reports drift', async () => {
    const compiled = join(scratch, 'dist/migrations', `${deletedMigration}.js`);
    expect(existsSync(compiled)).toBe(true);

    await rm(join(scratch, 'migrations', `${deletedMigration}.ts`));
    await run('npm', ['run', 'build', '--silent'], { cwd: scratch });

    expect(existsSync(compiled)).toBe(false);
    expect(existsSync(`${compiled}.map`)).toBe(false);
    expect(existsSync(join(scratch, 'dist/migrations/1795362417567-CreateUsers.js'))).toBe(true);

    const check = await run('node', ['dist/apps/api/src/cli/db.js', 'check'], {
      cwd: scratch,
      env: { ...process.env, DATABASE_URL: process.env.TEST_SERVER_URL },
    }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/token_version/);
  }, 240_000);
});
