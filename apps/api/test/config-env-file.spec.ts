import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, type Env } from '@mas/persistence';
import { loadAppConfig } from '../src/config/app-config.js';
import { readSettings } from '../src/config/read-settings.js';

const DIST = fileURLToPath(new URL('../../../dist/apps/api/src/', import.meta.url));
const ENV_EXAMPLE = fileURLToPath(new URL('../../../.env.example', import.meta.url));

/** Runs a compiled entry point in `cwd`; resolves with its exit code and stderr. */
function run(script: string, args: string[], cwd: string, env: Env) {
  const child = spawn(process.execPath, [join(DIST, script), ...args], { cwd, env });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr: stderr.trim() })),
  );
}

/** The environment of this test process with `names` removed. */
function environmentWithout(...names: string[]): Env {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !names.includes(name)));
}

describe('.env through @nestjs/config', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mas-env-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const writeEnvFile = (text: string) => writeFile(join(dir, '.env'), text);

  /** Sets process variables for one call and puts the previous values back. */
  async function withEnvironment<T>(variables: Env, work: () => Promise<T>): Promise<T> {
    const previous = Object.fromEntries(
      Object.keys(variables).map((name) => [name, process.env[name]]),
    );
    const assign = (values: Env) => {
      for (const [name, value] of Object.entries(values)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    };
    assign(variables);
    try {
      return await work();
    } finally {
      assign(previous);
    }
  }

  it('reads .env from the working directory, inline comments and all', async () => {
    await writeEnvFile(
      'PORT=4321\nLOG_LEVEL=debug   # a comment\nCORS_ORIGINS=https://app.example.com\n',
    );
    const config = await withEnvironment({ PORT: undefined, LOG_LEVEL: undefined }, () =>
      readSettings(loadAppConfig, { cwd: dir }),
    );
    expect(config.port).toBe(4321);
    expect(config.logLevel).toBe('debug');
    expect(config.corsOrigins).toEqual(['https://app.example.com']);
  });

  it('lets the environment win over .env', async () => {
    await writeEnvFile('PORT=4321\nDB_POOL_MAX=7\n');
    const config = await withEnvironment({ PORT: '5555', DB_POOL_MAX: undefined }, () =>
      readSettings(loadAppConfig, { cwd: dir }),
    );
    expect(config.port).toBe(5555);
    expect(config.database.poolMax).toBe(7);
  });

  it('refuses a bad value in .env with the message naming the variable', async () => {
    await writeEnvFile('DB_POOL_MAX=lots\n');
    const reading = withEnvironment({ DB_POOL_MAX: undefined }, () =>
      readSettings(loadAppConfig, { cwd: dir }),
    );
    await expect(reading).rejects.toThrow(ConfigError);
    await expect(reading).rejects.toThrow(
      'Invalid configuration: DB_POOL_MAX must be an integer, got "lots"',
    );
  });

  it('a good environment value does not hide a bad one in .env for another variable', async () => {
    await writeEnvFile('PORT=eighty\n');
    await expect(
      withEnvironment({ PORT: undefined, DB_POOL_MAX: '3' }, () =>
        readSettings(loadAppConfig, { cwd: dir }),
      ),
    ).rejects.toThrow('PORT must be an integer');
  });

  it.each([
    ['main.js', []],
    ['cli/db.js', ['status']],
  ])(
    'the real %s reads .env from its working directory and stops on a bad value',
    async (script, args) => {
      await writeEnvFile('DB_POOL_MAX=lots\n');
      const env = {
        ...environmentWithout('DB_POOL_MAX'),
        DATABASE_URL: 'postgres://127.0.0.1:1/x',
      };
      const { code, stderr } = await run(script, args, dir, env);
      expect(code).toBe(1);
      expect(stderr).toBe('Invalid configuration: DB_POOL_MAX must be an integer, got "lots"');
    },
  );

  describe('.env.example', () => {
    const exampleText = () =>
      import('node:fs/promises').then((fs) => fs.readFile(ENV_EXAMPLE, 'utf8'));

    /** Every NAME= line, commented out or not. */
    async function listedVariables(): Promise<string[]> {
      return [...(await exampleText()).matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    }

    /** The variables loadAppConfig looks at, over settings that open its conditional branches. */
    function variablesTheAppReads(): Set<string> {
      const seen = new Set<string>();
      const watched = (env: Env): Env =>
        new Proxy(env, {
          get: (target, name) => {
            if (typeof name === 'string') seen.add(name);
            return target[name as keyof Env];
          },
        });
      const production = {
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(40),
        ADMIN_PASSWORD: 'a long password',
      };
      const settings: Env[] = [
        {},
        production,
        { DB_HOST: '127.0.0.1' },
        { SMTP_URL: 'smtp://mail.local' },
      ];
      for (const env of settings) loadAppConfig(watched(env));
      return seen;
    }

    it('lists exactly the variables the app reads', async () => {
      const listed = await listedVariables();
      expect(new Set(listed)).toEqual(variablesTheAppReads());
      expect(listed).toContain('CORS_ORIGINS');
      expect(listed).toContain('LOG_FORMAT');
    });

    it('copied to .env, changes nothing: every value it sets is the default', async () => {
      // As a developer runs it: under NODE_ENV=test some defaults (the BullMQ prefix) are per test.
      const developerRead = () =>
        withEnvironment({ NODE_ENV: 'development' }, () =>
          readSettings(loadAppConfig, { cwd: dir }),
        );
      const empty = await developerRead();
      await copyFile(ENV_EXAMPLE, join(dir, '.env'));
      expect(await developerRead()).toEqual(empty);
      // Not vacuous: the file does reach the config when the environment leaves a variable to it.
      await writeFile(join(dir, '.env'), (await exampleText()).replace(/^PORT=3000/m, 'PORT=3999'));
      const changed = await withEnvironment({ PORT: undefined }, () =>
        readSettings(loadAppConfig, { cwd: dir }),
      );
      expect(changed.port).toBe(3999);
    });
  });
});
