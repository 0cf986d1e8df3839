import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The compiled TypeORM CLI data source (the same definition the app uses). */
export const CLI_DATA_SOURCE = fileURLToPath(
  new URL('../database/data-source.js', import.meta.url),
);

/** Runs a node script with inherited output; resolves with its exit code. */
export function runNode(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

export function runTypeormCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return runNode(createRequire(import.meta.url).resolve('typeorm/cli.js'), args, env);
}
