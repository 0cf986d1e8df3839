/**
 * `npm run legacy:import -- --from <legacy url> [--legacy-timezone Zone] [--dry-run]
 * [--batch-size N] [--report file.json]`: moves the old backend's database into the configured
 * one (DATABASE_URL, DB_*, or the embedded PostgreSQL, migrations applied first, as every command
 * does). Progress per step on stderr (on a terminal), the report on stdout.
 *
 * Exit code 0 when the import completed (rows it merged, changed or skipped are in the report),
 * 2 on wrong usage, 1 when it could not proceed (source unreachable or not the legacy schema,
 * another import running, a database error); run it again to resume where it stopped.
 */
import { LEGACY_IMPORT_USAGE, parseLegacyImportArgs, UsageError } from './legacy-import-args.js';

function usageError(error: UsageError): never {
  console.error(`legacy:import: ${error.message}\n${LEGACY_IMPORT_USAGE}`);
  process.exit(2);
}

let args;
try {
  args = parseLegacyImportArgs(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) usageError(error);
  throw error;
}
// Loaded after the arguments are checked: a wrong command line answers without booting anything.
const { isExplained, runLegacyImport } = await import('./legacy-import-run.js');
try {
  await runLegacyImport(args);
  process.exit(0);
} catch (error) {
  if (error instanceof UsageError) usageError(error);
  if (isExplained(error)) console.error(`legacy:import: ${error.message}`);
  else console.error(error, '\nlegacy:import: stopped; run the same command again to resume.');
  process.exit(1);
}
