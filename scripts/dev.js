#!/usr/bin/env node
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { holdEmbeddedDatabase } from './lib/dev-database.js';
import { runNode } from './lib/forward-signals.js';
import { BUILD_CONFIG, buildIfChanged, finishCompile } from './lib/incremental-build.js';

// `npm run start:dev` (and `start:debug`, which adds --inspect): `tsc --watch` keeps the program in
// memory and recompiles only what an edit touched; after each compile this rewrites the path
// aliases of the files it wrote, drops outputs of deleted sources and restarts the app. A compile
// with errors keeps the running app. SIGINT/SIGTERM stop the app (gracefully) and tsc.
const APP = 'dist/apps/api/src/main.js';
const nodeFlags = process.argv.slice(2).filter((arg) => arg.startsWith('--inspect'));
const root = process.cwd();
const log = (message) => console.error(`[dev] ${message}`);

let app;
let stopping = false;
// npm may signal only its shell; we then learn of the stop when our parent changes.
const parent = process.ppid;
const stopRequested = () => stopping || process.ppid !== parent;

async function restartApp() {
  const previous = app;
  app = undefined;
  if (previous) {
    previous.child.kill('SIGTERM');
    await previous.done;
  }
  if (stopRequested()) return;
  log(previous ? 'restarting the app' : 'starting the app');
  const started = runNode([...nodeFlags, APP]);
  app = started;
  void started.done.then((code) => {
    if (app === started && !stopRequested())
      log(`the app exited with code ${code}; waiting for an edit`);
  });
}

if ((await buildIfChanged(root, log)) !== 0) log('the build has errors; waiting for an edit');
const stopDatabase = await holdEmbeddedDatabase(root, log);

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const watcher = runNode([tsc, '-p', BUILD_CONFIG, '--watch', '--preserveWatchOutput'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let compileStartedAt = Date.now();
let firstCompile = true;
let queue = Promise.resolve();

createInterface({ input: watcher.child.stdout }).on('line', (line) => {
  console.log(line);
  if (/Starting (incremental )?compilation/.test(line)) compileStartedAt = Date.now();
  const found = /Found (\d+) errors?\. Watching for file changes/.exec(line);
  if (!found) return;
  const startedAt = compileStartedAt;
  const succeeded = found[1] === '0';
  const initial = firstCompile;
  firstCompile = false;
  queue = queue.then(async () => {
    const changed = await finishCompile(root, startedAt, succeeded, log);
    if (succeeded && (changed > 0 || initial)) await restartApp();
  });
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopping = true;
  });
}
process.exitCode = await watcher.done;
stopping = true;
if (app) await app.done;
await stopDatabase();
