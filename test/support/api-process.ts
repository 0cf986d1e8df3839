import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { testEnv } from './test-app.js';
import type { TestDatabase } from './test-database.js';
import { until } from './until.js';

const MAIN = fileURLToPath(new URL('../../dist/apps/api/src/main.js', import.meta.url));

export interface ApiProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The exit code once the process ended (null when a signal ended it). */
  exited: Promise<number | null>;
}

/**
 * The built API as a real process on a free port (a test may signal or kill it), resolved once
 * `healthPath` answers 200 (killed if it never does). The caller kills it in afterAll.
 */
export async function startApiProcess(
  database: TestDatabase,
  env: Record<string, string> = {},
  healthPath = '/api/health/ready',
): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      ...testEnv(database, { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env }),
    },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  try {
    await until(
      () =>
        fetch(`${url}${healthPath}`).then(
          (response) => (response.ok ? true : undefined),
          () => undefined,
        ),
      'the API process to answer',
      60_000,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, url, exited };
}
