import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { runNode } from './forward-signals.js';

const require = createRequire(import.meta.url);

export const BUILD_CONFIG = 'tsconfig.build.json';
const CONFIG_FILES = ['tsconfig.json', BUILD_CONFIG];
const MANIFEST = '.build-manifest.json';

/**
 * Compiles the project into dist/ only when a source or tsconfig changed since the last
 * successful build (recorded in dist/.build-manifest.json), then removes every compiled file
 * whose source no longer exists, so a deleted migration can never be applied from dist/ again.
 * Returns tsc's exit code (0 when nothing had to be done).
 */
export async function buildIfChanged(root = process.cwd(), log = () => undefined) {
  const { outDir, sources } = readProject(root);
  const manifestPath = join(outDir, MANIFEST);
  const expected = new Map(sources.map((source) => [outputOf(root, outDir, source), source]));

  removeStaleOutputs(outDir, expected, log);
  if (isUpToDate(root, manifestPath, sources, expected)) return 0;

  if ([...expected.keys()].some((output) => !existsSync(output))) {
    // tsc's incremental state only knows what it emitted, not what was deleted since.
    rmSync(join(outDir, '.tsbuildinfo'), { force: true });
  }
  const startedAt = Date.now();
  const code = await runTsc(root);
  await finishCompile(root, startedAt, code === 0, log);
  return code;
}

/**
 * What follows a tsc run (ours, or a `tsc --watch` one): path aliases in the files it wrote since
 * `startedAt`, removal of outputs whose source is gone, and the manifest when it succeeded.
 * Returns how many files were written or removed.
 */
export async function finishCompile(root, startedAt, succeeded, log = () => undefined) {
  const { outDir, sources } = readProject(root);
  const expected = new Map(sources.map((source) => [outputOf(root, outDir, source), source]));
  const rewritten = await rewriteAliases(root, outDir, startedAt);
  const removed = removeStaleOutputs(outDir, expected, log);
  if (succeeded) writeFileSync(join(outDir, MANIFEST), JSON.stringify({ sources }, null, 1));
  return rewritten + removed;
}

// The sources tsconfig.build.json compiles, found without loading TypeScript (that alone takes
// longer than the whole no-change check). Understands `<dir>/**/*.ts` includes and `**/*<suffix>`
// excludes, which is what the config uses; any other include is refused rather than guessed.
function readProject(root) {
  const build = readJson(join(root, BUILD_CONFIG));
  const base = readJson(join(root, 'tsconfig.json'));
  const dirs = build.include.map((pattern) => {
    const match = /^([\w-]+)\/\*\*\/\*\.ts$/.exec(pattern);
    if (!match) throw new Error(`${BUILD_CONFIG}: include "${pattern}" is not <dir>/**/*.ts`);
    return match[1];
  });
  const skipped = build.exclude
    .filter((p) => p.startsWith('**/*'))
    .map((p) => p.slice('**/*'.length));
  const sources = dirs
    .flatMap((dir) => listFiles(join(root, dir)))
    .map((file) => relative(root, file))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .filter((file) => !skipped.some((suffix) => file.endsWith(suffix)))
    .sort();
  return { outDir: join(root, base.compilerOptions.outDir), sources };
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function outputOf(root, outDir, source) {
  return join(outDir, source.replace(/\.ts$/, '.js'));
}

function isUpToDate(root, manifestPath, sources, expected) {
  if (!existsSync(manifestPath)) return false;
  const builtAt = statSync(manifestPath).mtimeMs;
  const previous = JSON.parse(readFileSync(manifestPath, 'utf8')).sources ?? [];
  if (previous.join('\n') !== sources.join('\n')) return false;
  const inputs = [...sources, ...CONFIG_FILES].map((file) => join(root, file));
  return (
    inputs.every((input) => statSync(input).mtimeMs <= builtAt) &&
    [...expected.keys()].every((output) => existsSync(output))
  );
}

function removeStaleOutputs(outDir, expected, log) {
  let removed = 0;
  for (const file of listFiles(outDir)) {
    const compiled = file.endsWith('.js.map') ? file.slice(0, -'.map'.length) : file;
    if (!compiled.endsWith('.js') || expected.has(compiled)) continue;
    rmSync(file, { force: true });
    removed += 1;
    log(`removed ${relative(outDir, file)}: its source no longer exists`);
  }
  return removed;
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

function runTsc(root) {
  const tsc = require.resolve('typescript/bin/tsc');
  return runNode([tsc, '-p', BUILD_CONFIG], { cwd: root }).done;
}

/** tsc-alias on the files this tsc run wrote only; the others were rewritten when emitted. */
async function rewriteAliases(root, outDir, since) {
  const emitted = listFiles(outDir).filter(
    (file) => file.endsWith('.js') && statSync(file).mtimeMs >= since,
  );
  if (emitted.length === 0) return 0;
  // Loaded only when something was emitted: it is slow to import.
  const { prepareSingleFileReplaceTscAliasPaths } = require('tsc-alias');
  const replace = await prepareSingleFileReplaceTscAliasPaths({
    configFile: join(root, BUILD_CONFIG),
  });
  for (const file of emitted) {
    writeFileSync(file, replace({ fileContents: readFileSync(file, 'utf8'), filePath: file }));
  }
  return emitted.length;
}
