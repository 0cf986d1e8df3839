/**
 * Boot time to a ready health check on an already migrated database.
 *
 * Starts the compiled API N times and measures spawn → first 200 from /api/health/ready. The
 * baseline, in the same run, is a bare Node process that connects to the same database and
 * answers HTTP: what any service pays before doing its own work.
 *
 *   npm run bench:boot            (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/mas_bench)
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mas_bench';
const API = fileURLToPath(new URL('../apps/api/src/main.js', import.meta.url));
const PORT = 3911;

const BASELINE = `
  import pg from 'pg';
  import { createServer } from 'node:http';
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  createServer(async (_req, res) => { await client.query('SELECT 1'); res.end('ok'); }).listen(${PORT});
`;

async function timeToReady(args: string[], path: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, DATABASE_URL, PORT: String(PORT), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${PORT}${path}`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return performance.now() - started;
      if (child.exitCode !== null)
        throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      if (performance.now() - started > 60_000) throw new Error('not ready within 60 s');
      await sleep(10);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(label: string, args: string[], path: string): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) times.push(await timeToReady(args, path));
  const rounded = times.map((time) => Math.round(time));
  console.log(
    `${label.padEnd(34)} median ${Math.round(median(times))} ms  (runs: ${rounded.join(', ')})`,
  );
  return median(times);
}

// First boot migrates and seeds; every measured boot after it finds nothing to do.
await timeToReady([API], '/api/health/ready');
const api = await measure('api → /api/health/ready', [API], '/api/health/ready');
const baseline = await measure(
  'baseline: node + pg + http',
  ['--input-type=module', '-e', BASELINE],
  '/',
);
console.log(`ratio (api / baseline): ${(api / baseline).toFixed(2)}`);
