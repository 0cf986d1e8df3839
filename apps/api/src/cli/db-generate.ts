import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateUnderLock } from '@mas/persistence';
import { withDatabase } from './db-migrations.js';
import { CLI_DATA_SOURCE, runNode, runTypeormCli } from './child-process.js';

const SOURCE_MIGRATIONS = resolve('migrations');
const MIGRATION_GUARD = fileURLToPath(
  new URL('../../../../libs/persistence/src/migration-guard/cli.js', import.meta.url),
);

/**
 * `npm run db:generate -- <Name>`: brings the database up to date, lets TypeORM write the diff
 * between entities and schema as a migration, formats it, and runs the migration guard on it.
 */
export async function generateMigration([name]: string[]): Promise<number> {
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    console.error('usage: npm run db:generate -- <PascalCaseName>');
    return 2;
  }
  await withDatabase(migrateUnderLock);
  const before = new Set(await readdir(SOURCE_MIGRATIONS));
  const code = await runTypeormCli([
    'migration:generate',
    '-d',
    CLI_DATA_SOURCE,
    join('migrations', name),
  ]);
  if (code !== 0) return code;
  const written = (await readdir(SOURCE_MIGRATIONS)).filter((file) => !before.has(file));
  const files = written.map((file) => join(SOURCE_MIGRATIONS, file));
  await runNode(resolve('node_modules/prettier/bin/prettier.cjs'), [
    '--write',
    '--log-level',
    'warn',
    ...files,
  ]);
  console.log(`written: ${written.join(', ')}; review it, then npm run db:migrate`);
  return runNode(MIGRATION_GUARD, files);
}
