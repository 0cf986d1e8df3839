import 'reflect-metadata';
import { ConfigError } from '@mas/persistence';
import { backup } from './db-backup.js';
import { checkDrift } from './db-check.js';
import { generateMigration } from './db-generate.js';
import { migrate, revert, status } from './db-migrations.js';
import { restore } from './db-restore.js';
import { seedDemo } from './db-seed.js';

const commands: Record<string, (args: string[]) => Promise<number>> = {
  migrate,
  revert,
  status,
  check: checkDrift,
  generate: generateMigration,
  seed: seedDemo,
  backup,
  restore,
};

const [name = '', ...args] = process.argv.slice(2);
const command = commands[name];
if (!command) {
  console.error(`usage: db.js <${Object.keys(commands).join('|')}> [args]`);
  process.exit(2);
}
try {
  process.exit(await command(args));
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
