import { lintMigrations } from './lint.js';
import { formatJson, formatText, renderRuleIndex } from './report.js';
import { formatVerifiedText } from './report-verified.js';
import { verifyServerUrl } from './verify-scratch.js';

export const USAGE = `Usage: node dist/libs/persistence/src/migration-guard/cli.js [--json] [--verify] [--dir <migrations dir>] [file ...]
       node dist/libs/persistence/src/migration-guard/cli.js --rules-markdown

Checks TypeORM migrations for unsafe schema changes. Lints every *.ts file in --dir (default:
migrations) or only the given files; earlier files in --dir are replayed to know the schema.
--verify also runs every migration on a scratch database (mas_guard_verify_<random>, dropped
afterwards) on the server of DATABASE_DIRECT_URL, else DATABASE_URL, else TEST_DATABASE_URL,
else postgres://postgres@127.0.0.1:5432/postgres, and reports rewrites and write-blocking locks
that Postgres actually took, merged with the static findings (one line per statement).
Exit code: 0 = no unacknowledged blocking finding, 1 = blocking findings, 2 = usage or I/O error.
`;

export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

interface CliArguments {
  json: boolean;
  verify: boolean;
  rulesMarkdown: boolean;
  help: boolean;
  dir: string | undefined;
  files: string[];
}

export async function runCli(args: string[], output: CliOutput): Promise<number> {
  let parsed: CliArguments;
  try {
    parsed = parseArguments(args);
  } catch (error: unknown) {
    output.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    output.stdout(USAGE);
    return 0;
  }
  if (parsed.rulesMarkdown) {
    output.stdout(renderRuleIndex());
    return 0;
  }
  try {
    const report = await lintMigrations({
      dir: parsed.dir,
      files: parsed.files,
      ...(parsed.verify ? { verifyOn: verifyServerUrl() } : {}),
    });
    const text = parsed.verify ? formatVerifiedText(report) : formatText(report);
    output.stdout(parsed.json ? formatJson(report) : text);
    return report.passed ? 0 : 1;
  } catch (error: unknown) {
    output.stderr(`migration-guard: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

function parseArguments(args: string[]): CliArguments {
  const parsed: CliArguments = {
    json: false,
    verify: false,
    rulesMarkdown: false,
    help: false,
    dir: undefined,
    files: [],
  };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--json') parsed.json = true;
    else if (arg === '--verify') parsed.verify = true;
    else if (arg === '--rules-markdown') parsed.rulesMarkdown = true;
    else if (arg === '--help' || arg === '-h') parsed.help = true;
    else if (arg.startsWith('--dir=')) parsed.dir = arg.slice('--dir='.length);
    else if (arg === '--dir') {
      const value = args[++index];
      if (value === undefined || value.startsWith('--')) throw new Error('--dir needs a directory');
      parsed.dir = value;
    } else if (arg === '--') {
      parsed.files.push(...args.slice(index + 1));
      break;
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else parsed.files.push(arg);
  }
  return parsed;
}
