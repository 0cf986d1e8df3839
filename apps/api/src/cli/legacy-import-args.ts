import { parseArgs } from 'node:util';

export interface LegacyImportArgs {
  from: string;
  timezone: string;
  dryRun: boolean;
  batchSize: number;
  reportPath?: string;
}

export const LEGACY_IMPORT_USAGE =
  'usage: npm run legacy:import -- --from <legacy postgres url> [--legacy-timezone <IANA zone, default UTC>] ' +
  '[--dry-run] [--batch-size N (1-50000, default 1000)] [--report <file.json>]';

const MAX_BATCH_SIZE = 50_000;

/** A wrong command line: the command prints the reason and the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseLegacyImportArgs(argv: string[]): LegacyImportArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        from: { type: 'string' },
        'legacy-timezone': { type: 'string', default: 'UTC' },
        'dry-run': { type: 'boolean', default: false },
        'batch-size': { type: 'string', default: '1000' },
        report: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const from = values.from?.trim();
  if (!from) throw new UsageError('--from <legacy postgres url> is required');
  if (!/^postgres(ql)?:\/\//.test(from))
    throw new UsageError('--from must be a postgres:// or postgresql:// URL');
  const timezone = values['legacy-timezone'];
  if (!isIanaZone(timezone))
    throw new UsageError(
      `--legacy-timezone: '${timezone}' is not an IANA time zone (e.g. Asia/Kolkata)`,
    );
  const batchText = values['batch-size'];
  const batchSize = Number(batchText);
  if (!/^\d+$/.test(batchText) || batchSize < 1 || batchSize > MAX_BATCH_SIZE)
    throw new UsageError(`--batch-size must be a whole number from 1 to ${MAX_BATCH_SIZE}`);
  if (values.report !== undefined && !values.report.trim())
    throw new UsageError('--report needs a file name');
  return { from, timezone, dryRun: values['dry-run'], batchSize, reportPath: values.report };
}

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}
