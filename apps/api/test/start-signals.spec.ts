import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@mas/testing/free-port.js';
import { until } from '@mas/testing/until.js';

const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Every process below `root`, from `ps` (the app, its launcher and embedded PostgreSQL). */
function descendants(root: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [pid, ppid] of rows) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start and signals', () => {
  let dataDir: string;
  let npm: ChildProcess | undefined;
  let started: number[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mas-start-signals-'));
  });

  afterAll(async () => {
    for (const pid of started.filter(alive)) process.kill(pid, 'SIGKILL');
    npm?.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('kill -TERM <npm pid> leaves no node or embedded PostgreSQL behind', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(await freePort()),
      EMBEDDED_PG_DATA_DIR: dataDir,
    };
    delete env.DATABASE_URL;
    delete env.DB_HOST;
    delete env.NODE_OPTIONS;
    npm = spawn('npm', ['start', '--silent'], { cwd: projectRoot, env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => npm?.once('exit', resolve));

    await until(
      () =>
        fetch(`http://127.0.0.1:${port}/api/health/live`).then(
          (response) => (response.ok ? true : undefined),
          () => undefined,
        ),
      'the API to serve',
      150_000,
    );
    started = descendants(npm.pid as number);
    const postgres = execFileSync('ps', ['-o', 'comm=', '-p', started.join(',')], {
      encoding: 'utf8',
    });
    expect(postgres).toMatch(/postgres/);

    npm.kill('SIGTERM');
    await exited;
    await until(
      () => Promise.resolve(started.some(alive) ? undefined : true),
      `processes ${started.join(', ')} to exit`,
      30_000,
    );
  }, 240_000);
});
