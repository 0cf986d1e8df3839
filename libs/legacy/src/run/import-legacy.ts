import type { ImportContext, ImportStep, SqlClient } from '../import-phase.js';
import { checkLegacySource } from '../copy/check-legacy-source.js';
import { copyTableStep } from '../copy/copy-table-step.js';
import { LEGACY_TABLES } from '../copy/legacy-tables.js';
import { buildImportReport, type ImportReport } from '../report/import-report.js';
import { writeReportJson } from '../report/write-report-json.js';
import { insideOuterTransaction, ownTransactions } from './batch-transactions.js';
import { withImportLock } from './import-lock.js';
import { pinLegacyTimezone } from './pinned-timezone.js';
import { runSteps, type StepProgress } from './run-steps.js';

export interface LegacyImportOptions {
  /** The old database (read only: plain keyset SELECTs). */
  source: SqlClient;
  /** A connection to the migrated target database, used for nothing else meanwhile. */
  target: SqlClient;
  /** The phases that turn staged rows into native rows, in order (see import-phases.ts). */
  phases: readonly ImportStep[];
  /**
   * More connections to the target, for phases that can run at the same time (each its own
   * transactions). Unused by a dry run, whose one transaction lives on `target`.
   */
  extraTargets?: readonly SqlClient[];
  context: ImportContext;
  dryRun: boolean;
  /** Where to write the full JSON report, if anywhere. */
  reportPath?: string;
  progress: StepProgress;
}

/**
 * The whole import: check the source, copy every legacy table into `legacy_import`, run the
 * phases, and report. A dry run does the same inside one transaction that it rolls back after the
 * report is built (and written), so the target keeps no trace of it, checkpoints included.
 */
export async function importLegacy(options: LegacyImportOptions): Promise<ImportReport> {
  const { source, target, dryRun } = options;
  await checkLegacySource(source, target);
  const steps = [...LEGACY_TABLES.map((table) => copyTableStep(source, table)), ...options.phases];
  const finish = async () => {
    const report = await buildImportReport(target, {
      dryRun,
      timezone: options.context.timezone,
    });
    if (options.reportPath) await writeReportJson(target, report, options.reportPath);
    return report;
  };
  return withImportLock(target, async () => {
    if (!dryRun) {
      await pinLegacyTimezone(target, options.context.timezone);
      const lanes = (options.extraTargets ?? []).map((client) => ({
        client,
        transactions: ownTransactions(client),
      }));
      await runSteps(
        target,
        steps,
        options.context,
        ownTransactions(target),
        options.progress,
        lanes,
      );
      return finish();
    }
    await target.query('BEGIN');
    try {
      await pinLegacyTimezone(target, options.context.timezone);
      await runSteps(target, steps, options.context, insideOuterTransaction, options.progress);
      return await finish();
    } finally {
      await target.query('ROLLBACK');
    }
  });
}
