import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const PARENT_CHECK_MS = 200;

/**
 * Runs `node <args>` as a child that shares our stdio, passes SIGINT/SIGTERM/SIGHUP on to it
 * (so its own graceful shutdown runs, embedded PostgreSQL included) and resolves with the exit
 * code to use: the child's, or 128 + signal number when a signal killed it.
 *
 * npm runs a script through `sh -c`, forwards SIGTERM to that shell only, and dash does not pass
 * it on: the shell dies and we are reparented. So losing our parent counts as a SIGTERM too.
 */
export function runNode(args, options = {}) {
  // Its own process group: a terminal's Ctrl-C reaches it once, through us, not twice.
  const child = spawn(process.execPath, args, { stdio: 'inherit', detached: true, ...options });
  const forward = (signal) => child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, forward);
  const parent = process.ppid;
  const orphanWatch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(orphanWatch);
    forward('SIGTERM');
  }, PARENT_CHECK_MS);
  const done = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(orphanWatch);
      for (const name of FORWARDED) process.off(name, forward);
      resolve(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
  return { child, done };
}
