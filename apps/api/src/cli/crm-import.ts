/**
 * `npm run crm:import -- <file.csv|file.json>`: imports leads from a file of any size into the
 * configured database (DATABASE_URL, DB_*, or the embedded PostgreSQL, as the db:* commands do;
 * `.env` is read as by the app),
 * with the same service as POST /api/crm/leads/import. Prints the summary JSON on stdout; each bad
 * row in it names the line of the file where it starts.
 *
 * The file is read twice, streamed both times: first to count its rows and check its syntax (a
 * broken file imports nothing, and the progress line knows the total), then to import it.
 * Exit code 1 when the file cannot be read or imported, 2 on wrong usage, 0 otherwise.
 */
import 'reflect-metadata';
import { LeadFileError, leadFileRows, LeadImportService } from '@mas/crm';
import { ConfigError, ProgressLine } from '@mas/persistence';
import { withCliApp } from './cli-app.js';

/** Enough to see what is wrong with a bad file without holding millions of reasons. */
const MAX_INVALID_LISTED = 10_000;

async function countRows(path: string): Promise<number> {
  const progress = new ProgressLine('checking');
  let rows = 0;
  for await (const { row } of leadFileRows(path)) progress.update((rows = row));
  progress.finish(rows);
  return rows;
}

async function importFile(path: string): Promise<void> {
  const total = await countRows(path);
  await withCliApp(async (app) => {
    const progress = new ProgressLine('importing', total);
    const summary = await app.get(LeadImportService).import(leadFileRows(path), {
      ownerId: null,
      maxInvalidListed: MAX_INVALID_LISTED,
      onProgress: (rowsDone) => progress.update(rowsDone),
    });
    progress.finish(total);
    console.log(JSON.stringify(summary, null, 2));
  });
}

const [path, ...extra] = process.argv.slice(2);
if (!path || extra.length) {
  console.error('usage: npm run crm:import -- <file.csv|file.json>');
  process.exit(2);
}
try {
  await importFile(path);
  process.exit(0);
} catch (error) {
  // A bad file, a bad setting or a file system error explain themselves; anything else needs its stack.
  const explained =
    error instanceof LeadFileError ||
    error instanceof ConfigError ||
    (error instanceof Error && 'syscall' in error);
  console.error(explained ? `crm:import: ${error.message}` : error);
  process.exit(1);
}
