import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { applyAcknowledgements } from './acknowledgements.js';
import { Catalog } from './catalog.js';
import { checkMigration, replayUp } from './check-migration.js';
import { extractMigration } from './extract-sql.js';
import { summarize, toFinding, type FileReport, type GuardReport } from './finding.js';
import type { LocatedHit } from './finding.js';
import { loadSqlParser } from './parse-sql.js';
import { verifyMigrations, type VerifyResult } from './verify.js';

export interface MigrationSource {
  fileName: string;
  sourceText: string;
}

export interface LintOptions {
  /** Migrations directory, relative to cwd. Default `migrations`. */
  dir?: string;
  /** Lint only these files (earlier files in `dir` still feed the catalog). Default: every file in `dir`. */
  files?: string[];
  /** Base for relative paths, in options and in the report. Default process.cwd(). */
  cwd?: string;
  /**
   * Server URL: also run every migration on a scratch database there and add what Postgres
   * actually did (see verify.ts). Default: static checks only.
   */
  verifyOn?: string;
}

/**
 * Lints one migration. `catalog` is the schema as earlier migrations left it (see
 * catalogFromSources); without it every table counts as existing and every column type as unknown.
 */
export async function lintSource(
  fileName: string,
  sourceText: string,
  catalog: Catalog = new Catalog(),
): Promise<FileReport> {
  await loadSqlParser();
  return lintLoaded(fileName, sourceText, catalog).report;
}

/** The catalog after replaying the up() of each source in the given order. */
export async function catalogFromSources(sources: MigrationSource[]): Promise<Catalog> {
  await loadSqlParser();
  const catalog = new Catalog();
  for (const source of sources)
    replayUp(extractMigration(source.fileName, source.sourceText), catalog);
  return catalog;
}

export async function lintMigrations(options: LintOptions = {}): Promise<GuardReport> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const targets = (options.files ?? []).map((file) => path.resolve(cwd, file));
  const [inDirectory] = await Promise.all([
    listMigrationFiles(path.resolve(cwd, options.dir ?? 'migrations'), targets.length > 0),
    loadSqlParser(),
  ]);
  const linted = new Set(targets.length > 0 ? targets : inDirectory);
  const ordered = [...new Set([...inDirectory, ...linted])].sort(byFileName);
  const texts = await Promise.all(ordered.map((file) => readFile(file, 'utf8')));
  const displayOf = (file: string): string => path.relative(cwd, file).split(path.sep).join('/');
  const verified =
    options.verifyOn === undefined
      ? undefined
      : await verifyMigrations(
          ordered.map((file, index) => ({
            file: displayOf(file),
            extracted: extractMigration(displayOf(file), texts[index] ?? ''),
          })),
          options.verifyOn,
        );

  let catalog = new Catalog();
  const findings = ordered.flatMap((file, index) => {
    const display = displayOf(file);
    const text = texts[index] ?? '';
    if (!linted.has(file)) {
      replayUp(extractMigration(display, text), catalog);
      return [];
    }
    const result = lintLoaded(display, text, catalog, dynamicHits(verified, display));
    catalog = result.catalogAfterUp;
    return result.report.findings;
  });
  return summarize(linted.size, findings, Math.round(performance.now() - started), {
    verified: verified !== undefined,
    notes: verified?.notes ?? [],
  });
}

function dynamicHits(verified: VerifyResult | undefined, file: string): LocatedHit[] | undefined {
  return verified === undefined ? undefined : (verified.hits.get(file) ?? []);
}

function lintLoaded(
  fileName: string,
  sourceText: string,
  catalog: Catalog,
  /** Findings of --verify; undefined when it did not run. */
  dynamic?: LocatedHit[],
): { report: FileReport; catalogAfterUp: Catalog } {
  const extracted = extractMigration(fileName, sourceText);
  const check = checkMigration(extracted, catalog);
  const findings = [...extracted.hits, ...check.hits, ...(dynamic ?? [])]
    .sort((a, b) => a.line - b.line)
    .map((hit) => toFinding(fileName, hit));
  return {
    report: {
      file: fileName,
      findings: applyAcknowledgements(fileName, findings, extracted.comments, extracted.callSpans, {
        verified: dynamic !== undefined,
      }),
    },
    catalogAfterUp: check.catalogAfterUp,
  };
}

/** TypeORM migration files: `*.ts` directly in the directory, no declarations or tests. */
async function listMigrationFiles(directory: string, optional: boolean): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error: unknown) {
    if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => name.endsWith('.ts') && !/\.(d|spec|test)\.ts$/.test(name))
    .map((name) => path.join(directory, name));
}

/** Migrations run in file-name order (TypeORM names start with a timestamp). */
function byFileName(a: string, b: string): number {
  const compare = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return compare(path.basename(a), path.basename(b)) || compare(a, b);
}
