#!/usr/bin/env node
import { buildIfChanged } from './lib/incremental-build.js';
import { runNode } from './lib/forward-signals.js';

// `node scripts/run-built.js [--node-flag…] dist/<entry>.js [args…]`: build if sources changed,
// then run the entry as a child that receives our SIGINT/SIGTERM, and exit with its code. npm
// scripts use this instead of `npm run build && node …`, whose shell dies on SIGTERM and orphans
// the app (and its embedded PostgreSQL).
const argv = process.argv.slice(2);
const entryAt = argv.findIndex((arg) => !arg.startsWith('-'));
if (entryAt < 0) {
  console.error('usage: node scripts/run-built.js [--node-flag...] dist/<entry>.js [args...]');
  process.exit(2);
}
const built = await buildIfChanged(process.cwd(), (message) => console.error(message));
if (built !== 0) process.exit(built);
process.exitCode = await runNode(argv).done;
