import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FakePartnerPlatform } from '@mas/testing/fake-partner-platform.js';
import { learners } from '@mas/testing/partner-records.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { until } from '@mas/testing/until.js';
import { childOutput } from '@mas/testing/child-output.js';

const CLI = fileURLToPath(
  new URL('../../../dist/apps/api/src/cli/external-sync.js', import.meta.url),
);

interface Child {
  process: ChildProcess;
  /** Resolves with the exit code (null when killed) and stdout. */
  exited: Promise<{ code: number | null; stdout: string }>;
}

/**
 * The sync as real processes (`npm run sync:run`): one killed mid-run and resumed by the next, two
 * started at once on one source. Each process has its own pool, as separate instances would.
 */
describe('external sync across processes', () => {
  let database: TestDatabase;
  let learn: FakePartnerPlatform;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
  });
  beforeEach(async () => {
    learn = await FakePartnerPlatform.start('learn-secret');
    await database.sql('TRUNCATE mrlearn.learners, mrlearn.enrollments, mrlearn.sync_state');
  });
  afterEach(() => learn.close());
  afterAll(() => database?.drop());

  function startSync(): Child {
    const child = spawn(process.execPath, [CLI, 'mrlearn'], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        MIGRATIONS_RUN: 'false',
        DB_POOL_MIN: '0',
        MRLEARN_URL: learn.url,
        MRLEARN_TOKEN: 'learn-secret',
        SYNC_PAGE_SIZE: '10',
        SYNC_LEASE_MS: '1500',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = childOutput(child).then(({ code, stdout, stderr }) => {
      if (code !== 0 && code !== null) throw new Error(`sync:run exited ${code}: ${stderr}`);
      return { code, stdout };
    });
    exited.catch(() => undefined);
    return { process: child, exited };
  }

  const statusOf = async (child: Child) =>
    (JSON.parse((await child.exited).stdout) as { status: string }).status;

  const learnersState = async () =>
    (
      await database.sql(
        `SELECT cursor, pages_synced::int, items_synced::int, lease_owner
           FROM mrlearn.sync_state WHERE resource = 'learners'`,
      )
    ).rows[0] as
      | {
          cursor: string | null;
          pages_synced: number;
          items_synced: number;
          lease_owner: string | null;
        }
      | undefined;

  /** Ids the platform answered with, over every successful request, in order. */
  const servedIds = () =>
    learn.served('learners').flatMap((request) => (request.status === 200 ? request.ids : []));

  it('a run killed (SIGKILL) after 4 committed pages is resumed by the next from page 5: no page skipped or applied twice', async () => {
    learn.put('learners', learners(95));
    let arrived = 0;
    // The 5th page is never answered: the process is killed while it waits for it.
    learn.fault((request) =>
      request.resource === 'learners' && ++arrived === 5
        ? { until: new Promise(() => undefined) }
        : undefined,
    );

    const doomed = startSync();
    await until(
      async () => (arrived >= 5 && (await learnersState())?.pages_synced === 4 ? true : undefined),
      'four pages committed and the fifth asked for',
    );
    doomed.process.kill('SIGKILL');
    expect((await doomed.exited).code).toBeNull();
    const killed = await learnersState();
    expect(killed).toMatchObject({ pages_synced: 4, items_synced: 40 });
    expect(killed!.cursor).not.toBeNull();
    // The dead run's lease is still there; the next run waits for it to lapse.
    expect(killed!.lease_owner).not.toBeNull();
    learn.clearFaults();
    const before = learn.served('learners').length;

    let status = 'busy';
    while (status === 'busy') status = await statusOf(startSync());

    expect(status).toBe('done');
    const resumed = learn.served('learners').slice(before);
    expect(resumed[0]).toMatchObject({ status: 200, cursor: killed!.cursor });
    expect(resumed).toHaveLength(6);
    const ids = servedIds();
    expect(ids).toHaveLength(95);
    expect(new Set(ids)).toEqual(new Set(learners(95).map((record) => record.id)));
    expect(await learnersState()).toMatchObject({
      pages_synced: 10,
      items_synced: 95,
      cursor: null,
    });
    const { rows } = await database.sql('SELECT count(*)::int AS n FROM mrlearn.learners');
    expect(rows).toEqual([{ n: 95 }]);
  });

  it('two processes racing for one source: one runs, the other ends busy without asking anything', async () => {
    learn.put('learners', learners(25));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    learn.fault(() => ({ until: gate }));

    const racers = [startSync(), startSync()];
    // The loser exits on its own; the winner waits at the gate until then.
    const loser = await Promise.race(racers.map((racer) => racer.exited.then(() => racer)));
    open();
    const winner = racers.find((racer) => racer !== loser)!;

    expect(await statusOf(loser)).toBe('busy');
    expect(await statusOf(winner)).toBe('done');
    expect(servedIds()).toHaveLength(25);
    expect(new Set(servedIds()).size).toBe(25);
    expect(await learnersState()).toMatchObject({ pages_synced: 3, items_synced: 25 });
  });
});
