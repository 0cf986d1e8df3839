import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function run(
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('exit', (code) => done({ code: code ?? 1, output }));
  });
}

/**
 * The hazard the guard exists for: shorten a column in an entity, let `db:generate` write the
 * migration (TypeORM emits DROP COLUMN + ADD COLUMN), and see the guard block it. Runs the compiled
 * commands (`npm test` builds first) in a scratch copy of the project, so the real tree is untouched.
 */
describe('db:generate on a column length change', () => {
  let database: TestDatabase;
  let workdir: string;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    workdir = await mkdtemp(join(tmpdir(), 'mas-generate-'));
    await cp(join(ROOT, 'dist'), join(workdir, 'dist'), { recursive: true });
    await cp(join(ROOT, 'migrations'), join(workdir, 'migrations'), { recursive: true });
    await cp(join(ROOT, 'package.json'), join(workdir, 'package.json'));
    await symlink(join(ROOT, 'node_modules'), join(workdir, 'node_modules'));
  });

  afterAll(async () => {
    await rm(workdir, { recursive: true, force: true });
    await database?.drop();
  });

  it('generates DROP + ADD of the column and the guard blocks it (exit 1)', async () => {
    const entityFile = join(workdir, 'dist/libs/identity/src/entities/user.entity.js');
    const compiled = await readFile(entityFile, 'utf8');
    const changed = compiled.replace(
      "type: 'varchar', length: 150",
      "type: 'varchar', length: 100",
    );
    expect(changed).not.toBe(compiled);
    await writeFile(entityFile, changed);
    const before = await readdir(join(workdir, 'migrations'));

    const { code, output } = await run(
      ['dist/apps/api/src/cli/db.js', 'generate', 'ShrinkFullName'],
      workdir,
      {
        DATABASE_URL: database.url,
      },
    );

    const written = (await readdir(join(workdir, 'migrations'))).filter(
      (file) => !before.includes(file),
    );
    expect(written).toHaveLength(1);
    const migration = await readFile(join(workdir, 'migrations', written[0]), 'utf8');
    expect(migration).toMatch(/DROP COLUMN "full_name"/);
    expect(migration).toMatch(/ADD "full_name" character varying\(100\)/);
    expect(output).toMatch(/drop-add-column block/);
    expect(output).toMatch(/[1-9]\d* blocking/);
    expect(code).toBe(1);
  });
});
