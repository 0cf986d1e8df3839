import pg from 'pg';
import {
  parseWalPosition,
  type ReadReason,
  ReplicaReads,
  ReplicaSet,
  type ReadTarget,
} from '@mas/persistence';
import { PrivatePostgres } from '@mas/testing/private-postgres.js';
import { createSlot } from '@mas/testing/slots.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';
import { until } from '@mas/testing/until.js';

type Served = `${ReadTarget}:${ReadReason}`;

/** Where each of an app's stale-tolerant reads went, in order. */
function servedLog(app: TestApp): Served[] {
  const log: Served[] = [];
  app.app.get(ReplicaReads).onRead((target, reason) => log.push(`${target}:${reason}`));
  return log;
}

interface ReplicaHealth {
  status: string;
  info?: { replicas?: { status: string; replicas: { status: string; lagMs: number | null }[] } };
}

async function replicaHealth(app: TestApp): Promise<ReplicaHealth> {
  return (await app.http().get('/api/health').expect(200)).body as ReplicaHealth;
}

describe('read replicas: stale-tolerant reads on a streaming replica, read-your-writes', () => {
  let primary: PrivatePostgres;
  let replica: PrivatePostgres;
  let database: Awaited<ReturnType<PrivatePostgres['database']>>;
  let standby: pg.Pool;
  let apps: [TestApp, TestApp];
  let served: [Served[], Served[]];
  let mentor: TestUser;
  let student: TestUser;

  const slotIdsSeenBy = async (app: TestApp, user: TestUser): Promise<string[]> => {
    const response = await app
      .http()
      .get(`/api/mentorship/slots?mentorId=${mentor.id}&limit=100`)
      .set('Authorization', `Bearer ${user.token}`)
      .expect(200);
    return (response.body as { items: { id: string }[] }).items.map((slot) => slot.id);
  };

  /** Replay pauses "as soon as possible": wait until it has, or a write could still slip through. */
  const pauseReplay = async () => {
    await standby.query('SELECT pg_wal_replay_pause()');
    await until(async () => {
      const { rows } = await standby.query<{ state: string }>(
        'SELECT pg_get_wal_replay_pause_state() AS state',
      );
      return rows[0].state === 'paused' ? true : undefined;
    }, 'replay to pause');
  };

  /**
   * Until the app's last check of the replica saw it up and past everything the primary had
   * written when this was called (health's lag 0 may be a check from before the last write).
   */
  const replicaUpAndCaughtUp = async (app: TestApp) => {
    const { rows } = await database.sql('SELECT pg_current_wal_lsn()::text AS position');
    const written = parseWalPosition((rows[0] as { position: string }).position);
    const [replicaState] = app.app.get(ReplicaSet).replicas;
    await until(
      () =>
        Promise.resolve(
          replicaState.current.status === 'up' && replicaState.hasReplayed(written)
            ? true
            : undefined,
        ),
      'the replica to be up and caught up',
    );
  };

  beforeAll(async () => {
    primary = await PrivatePostgres.create();
    replica = await PrivatePostgres.replicaOf(primary);
    database = await primary.database('mas_replicas');
    const env = {
      DB_READ_URLS: replica.url('mas_replicas'),
      DB_REPLICA_CHECK_MS: '100',
      // Long enough that a replica paused by the test still serves reads that may be stale.
      DB_REPLICA_MAX_LAG_MS: '600000',
      DB_CONNECT_TIMEOUT_MS: '2000',
    };
    const first = await startTestApp(database, env);
    apps = [first, await startTestApp(database, env)];
    served = [servedLog(apps[0]), servedLog(apps[1])];
    const adminToken = await login(apps[0], TEST_ADMIN.email, TEST_ADMIN.password);
    mentor = await createUserWithRole(apps[0], 'expert', adminToken);
    student = await createUserWithRole(apps[0], 'student', adminToken);
    standby = new pg.Pool({ connectionString: replica.url('mas_replicas'), max: 1 });
    standby.on('error', () => undefined);
    await replicaUpAndCaughtUp(apps[0]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all((apps ?? []).map((app) => app?.close()));
    await standby?.end();
    await database?.end();
    await replica?.destroy();
    await primary?.destroy();
  });

  it('serves other users from the replica, and the writer (on either instance) from the primary until the replica has replayed the write', async () => {
    await pauseReplay();
    try {
      const slot = await createSlot(apps[0], mentor.token);
      served.forEach((log) => (log.length = 0));

      // The writer sees the write at once, on the instance that took it and on the other one.
      expect(await slotIdsSeenBy(apps[0], mentor)).toContain(slot.id);
      expect(await slotIdsSeenBy(apps[1], mentor)).toContain(slot.id);
      expect(served[0]).toEqual(['primary:own_write']);
      expect(served[1]).toEqual(['primary:own_write']);

      // Another user is served by the paused replica, which has not replayed the write yet.
      for (let read = 0; read < 5; read++)
        expect(await slotIdsSeenBy(apps[read % 2], student)).not.toContain(slot.id);
      expect(
        [...served[0], ...served[1]].filter((entry) => entry === 'replica:stale_ok'),
      ).toHaveLength(5);
    } finally {
      await standby.query('SELECT pg_wal_replay_resume()');
    }
    await replicaUpAndCaughtUp(apps[0]);
    await replicaUpAndCaughtUp(apps[1]);
    served.forEach((log) => (log.length = 0));
    // Once the replica has replayed it, the writer's reads go there too.
    const slots = await slotIdsSeenBy(apps[1], mentor);
    expect(slots.length).toBeGreaterThan(0);
    expect(served[1]).toEqual(['replica:caught_up']);
  });

  it('falls back to the primary while the replica is stopped: no read fails, health says degraded (still 200), and it serves again once back', async () => {
    const slot = await createSlot(apps[0], mentor.token);
    await replicaUpAndCaughtUp(apps[0]);
    await replica.stop('fast');
    try {
      served.forEach((log) => (log.length = 0));
      for (let read = 0; read < 6; read++)
        expect(await slotIdsSeenBy(apps[0], read % 2 ? student : mentor)).toContain(slot.id);
      expect(served[0]).toHaveLength(6);
      expect(served[0].every((entry) => entry.startsWith('primary:'))).toBe(true);
      const health = await until(async () => {
        const current = await replicaHealth(apps[0]);
        return current.info?.replicas?.status === 'degraded' ? current : undefined;
      }, 'health to report the replica down');
      expect(health.status).toBe('degraded');
      expect(health.info?.replicas?.replicas[0]).toMatchObject({ status: 'down', lagMs: null });
    } finally {
      await replica.start();
    }
    await replicaUpAndCaughtUp(apps[0]);
    served[0].length = 0;
    expect(await slotIdsSeenBy(apps[0], student)).toContain(slot.id);
    expect(served[0]).toEqual(['replica:stale_ok']);
  });

  it('skips a replica further behind than DB_REPLICA_MAX_LAG_MS until it catches up', async () => {
    const strict = await startTestApp(database, {
      DB_READ_URLS: replica.url('mas_replicas'),
      DB_REPLICA_CHECK_MS: '100',
      DB_REPLICA_MAX_LAG_MS: '300',
    });
    try {
      const log = servedLog(strict);
      await replicaUpAndCaughtUp(strict);
      await pauseReplay();
      try {
        await createSlot(strict, mentor.token);
        const health = await until(async () => {
          const current = await replicaHealth(strict);
          return current.info?.replicas?.replicas[0]?.status === 'lagging' ? current : undefined;
        }, 'health to report the replica lagging');
        expect(health.info?.replicas?.replicas[0].lagMs).toBeGreaterThan(300);
        log.length = 0;
        await slotIdsSeenBy(strict, student);
        expect(log).toEqual(['primary:no_replica']);
      } finally {
        await standby.query('SELECT pg_wal_replay_resume()');
      }
      await replicaUpAndCaughtUp(strict);
      log.length = 0;
      await slotIdsSeenBy(strict, student);
      expect(log).toEqual(['replica:stale_ok']);
    } finally {
      await strict.close();
    }
  });

  it('reports the share of reads by target in the metrics', async () => {
    const metrics = await apps[0].http().get('/api/metrics').expect(200);
    expect(metrics.text).toMatch(/mas_db_reads_total\{target="replica",reason="stale_ok"\} [1-9]/);
    expect(metrics.text).toMatch(/mas_db_reads_total\{target="primary",reason="own_write"\} [1-9]/);
    expect(metrics.text).toMatch(
      /mas_db_replica_lag_ms\{replica="127\.0\.0\.1:\d+\/mas_replicas",status="up"\} \d+/,
    );
  });
});
