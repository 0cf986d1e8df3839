import { spawn } from 'node:child_process';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `node <args>` as a child that shares our stdio, passes SIGINT/SIGTERM/SIGHUP on to it
 * (so its own graceful shutdown runs, embedded PostgreSQL included) and resolves with the exit
 * code to use: the child's, or 128 + signal number when a signal killed it.
 */
export function runNode(args, options = {}) {
  const child = spawn(process.execPath, args, { stdio: 'inherit', ...options });
  const forward = (signal) => child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, forward);
  const done = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      for (const name of FORWARDED) process.off(name, forward);
      resolve(code ?? 128 + (signal ? osSignalNumber(signal) : 0));
    });
  });
  return { child, done };
}

function osSignalNumber(signal) {
  return { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal] ?? 0;
}
