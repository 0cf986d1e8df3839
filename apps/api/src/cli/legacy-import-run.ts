/** The work of `npm run legacy:import` once its arguments are known (see legacy-import.ts). */
import 'reflect-metadata';
import { open } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import pg from 'pg';
import {
  formatReport,
  IMPORT_LANES,
  IMPORT_PHASES,
  ImportBusyError,
  importLegacy,
  LegacySourceError,
  TimezoneMismatchError,
  type SqlClient,
  type StepProgress,
} from '@mas/legacy';
import { ConfigError, ProgressLine } from '@mas/persistence';
import { withCliApp } from './cli-app.js';
import { type LegacyImportArgs, UsageError } from './legacy-import-args.js';

function progressLines(): StepProgress {
  let line: ProgressLine | undefined;
  let offset = 0;
  return {
    start: (step, total, unitsDone) => {
      // A resumed step counts its rate from where it resumed, so the ETA stays honest.
      offset = unitsDone;
      line = new ProgressLine(step, Math.max(total - unitsDone, 0));
    },
    update: (unitsDone) => line?.update(unitsDone - offset),
    finish: (unitsDone) => line?.finish(unitsDone - offset),
  };
}

async function connectSource(url: string): Promise<pg.Client> {
  const source = new pg.Client({ connectionString: url, application_name: 'mas legacy:import' });
  try {
    await source.connect();
  } catch (error) {
    throw new LegacySourceError(
      `cannot connect to the --from database: ${(error as Error).message}`,
    );
  }
  // Each keyset read is its own statement; nothing here writes to the old database.
  await source.query('SET default_transaction_read_only = on');
  return source;
}

/** A connection of the app's pool for the import's own use, given back as it was. */
async function importConnection(dataSource: DataSource) {
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as SqlClient;
  // The import's set-based statements may outlast the API's statement timeout.
  await client.query('SET statement_timeout = 0');
  return {
    client,
    release: async () => {
      await client.query('RESET statement_timeout').catch(() => undefined);
      await runner.release();
    },
  };
}

async function checkTimezone(target: SqlClient, timezone: string): Promise<void> {
  try {
    await target.query('SELECT now() AT TIME ZONE $1', [timezone]);
  } catch {
    throw new UsageError(`--legacy-timezone: PostgreSQL does not know the time zone '${timezone}'`);
  }
}

export async function runLegacyImport(args: LegacyImportArgs): Promise<void> {
  // A report file that cannot be written fails now, not after the import.
  if (args.reportPath) await (await open(args.reportPath, 'w')).close();
  const source = await connectSource(args.from);
  try {
    await withCliApp(async (app) => {
      const dataSource = app.get(DataSource);
      // One connection per phase that may run at once; a dry run's one transaction needs just one.
      const connections = await Promise.all(
        Array.from({ length: args.dryRun ? 1 : IMPORT_LANES }, () => importConnection(dataSource)),
      );
      const [target, ...extraTargets] = connections.map((connection) => connection.client);
      try {
        await checkTimezone(target, args.timezone);
        const started = performance.now();
        const report = await importLegacy({
          source,
          target,
          extraTargets,
          phases: IMPORT_PHASES,
          context: { timezone: args.timezone, batchSize: args.batchSize },
          dryRun: args.dryRun,
          reportPath: args.reportPath,
          progress: progressLines(),
        });
        console.log(formatReport(report, (performance.now() - started) / 1000));
        if (args.reportPath) console.log(`full report: ${args.reportPath}`);
      } finally {
        await Promise.all(connections.map((connection) => connection.release()));
      }
    });
  } finally {
    await source.end();
  }
}

/** Errors that explain themselves to the operator; anything else needs its stack. */
export function isExplained(error: unknown): error is Error {
  return (
    error instanceof LegacySourceError ||
    error instanceof ImportBusyError ||
    error instanceof TimezoneMismatchError ||
    error instanceof ConfigError ||
    (error instanceof Error && 'syscall' in error)
  );
}
