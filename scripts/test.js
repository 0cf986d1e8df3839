#!/usr/bin/env node
import { createRequire } from 'node:module';
import { runNode } from './lib/forward-signals.js';
import { buildIfChanged } from './lib/incremental-build.js';

// `npm test [-- <jest args>]`: build if sources changed, then Jest (ESM mode). The whole suite, run
// without arguments, is followed by the PgBouncer pass (jest.pgbouncer.config.js, also
// `npm run test:pgbouncer`); a run given arguments (a path, -t) is that Jest run alone.
const args = process.argv.slice(2);
const built = await buildIfChanged(process.cwd(), (message) => console.error(message));
if (built !== 0) process.exit(built);

const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim();
const env = { ...process.env, NODE_OPTIONS: nodeOptions };
const runJest = (jestArgs) => runNode([jest, ...jestArgs], { env }).done;

let code = await runJest(args);
if (code === 0 && args.length === 0) code = await runJest(['-c', 'jest.pgbouncer.config.js']);
process.exitCode = code;
