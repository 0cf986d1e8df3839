import { UserRole } from '@mas/identity';
import { FakePartnerPlatform } from '@mas/testing/fake-partner-platform.js';
import { type LibModule, startLibModule } from '@mas/testing/lib-module.js';
import { until } from '@mas/testing/until.js';
import { createLibUser, libIdentityModule } from '@mas/testing/lib-users.js';
import {
  assessments,
  attempts,
  enrollments,
  learners,
  platformTime,
} from '@mas/testing/partner-records.js';
import { ConflictError } from '@mas/domain-errors';
import { OutboxService, TransactionRunner } from '@mas/persistence';
import { expectRefusal } from '@mas/testing/domain-errors.js';
import { SyncRequests } from '../admin/sync-requests.js';
import { loadExternalSyncConfig } from '../config/external-sync-config.js';
import { ExternalSyncModule } from '../external-sync.module.js';
import { SourceSync } from './source-sync.js';

/** The sync against a real HTTP platform (a fake one, in this process), checked in SQL. */
describe('SourceSync (lib integration)', () => {
  let lib: LibModule;
  let learn: FakePartnerPlatform;
  let test: FakePartnerPlatform;
  let sync: SourceSync;

  beforeAll(async () => {
    [learn, test] = await Promise.all([
      FakePartnerPlatform.start('learn-token'),
      FakePartnerPlatform.start('test-token'),
    ]);
    const config = loadExternalSyncConfig({
      MRLEARN_URL: learn.url,
      MRLEARN_TOKEN: 'learn-token',
      MRTEST_URL: `${test.url}/`,
      MRTEST_TOKEN: 'test-token',
      SYNC_PAGE_SIZE: '5',
      SYNC_MAX_ATTEMPTS: '3',
      SYNC_RETRY_BASE_MS: '10',
      SYNC_MAX_RETRY_AFTER_S: '2',
      SYNC_LEASE_MS: '5000',
    });
    lib = await startLibModule([libIdentityModule(), ExternalSyncModule.forRoot(config)]);
    sync = lib.context.get(SourceSync);
  });
  afterAll(async () => {
    await lib?.close();
    await Promise.all([learn?.close(), test?.close()]);
  });
  beforeEach(() => {
    learn.clearFaults();
    test.clearFaults();
  });

  const rows = async (sql: string) => (await lib.database.sql(sql)).rows;
  const state = async (schema: string, resource: string) =>
    (
      await lib.database.sql(
        `SELECT watermark, cursor, pages_synced::int, items_synced::int, items_deleted::int,
                last_run_items, failed_runs, consecutive_failures, last_error, caught_up_at, lease_owner
           FROM ${schema}.sync_state WHERE resource = $1`,
        [resource],
      )
    ).rows[0];
  /** Every id served by a resource's successful requests since `from` (in order). */
  const servedIds = (platform: FakePartnerPlatform, resource: string, from = 0) =>
    platform
      .served(resource)
      .slice(from)
      .flatMap((request) => (request.status === 200 ? request.ids : []));

  describe('Mr. Learn', () => {
    let student: { id: string; email: string };

    beforeAll(async () => {
      student = await createLibUser(lib.context, UserRole.Student);
      // learner 7 is the local student, by email in another case.
      const people = learners(23).map((record) =>
        record.id === 'L7' ? { ...record, email: student.email.toUpperCase() } : record,
      );
      learn.put('learners', people);
      learn.put('enrollments', enrollments(30));
    });

    it('a first run pulls everything, page by page, once each, and links users by email', async () => {
      const result = await sync.run('mrlearn');

      expect(result).toMatchObject({ status: 'done' });
      expect(result.resources).toEqual([
        { resource: 'learners', pages: 5, items: 23, deleted: 0, caughtUp: true },
        { resource: 'enrollments', pages: 6, items: 30, deleted: 0, caughtUp: true },
      ]);
      const first = learn.served('learners')[0];
      expect(first).toMatchObject({ updatedSince: null, cursor: null, limit: 5 });
      // Every record served exactly once: no page asked twice, none skipped.
      expect(servedIds(learn, 'learners').sort()).toEqual(
        learners(23)
          .map((r) => r.id)
          .sort(),
      );
      expect(servedIds(learn, 'enrollments')).toHaveLength(30);
      expect(await rows('SELECT count(*)::int AS n FROM mrlearn.learners')).toEqual([{ n: 23 }]);
      expect(
        await rows(
          `SELECT id, progress, course_code, status FROM mrlearn.enrollments WHERE id = 'E10'`,
        ),
      ).toEqual([{ id: 'E10', progress: 10, course_code: 'C1', status: 'completed' }]);
      expect(
        await rows('SELECT id, user_id FROM mrlearn.learners WHERE user_id IS NOT NULL'),
      ).toEqual([{ id: 'L7', user_id: student.id }]);
      expect(await state('mrlearn', 'learners')).toMatchObject({
        watermark: new Date(platformTime(23)),
        cursor: null,
        pages_synced: 5,
        items_synced: 23,
        last_run_items: 23,
        failed_runs: 0,
        lease_owner: null,
      });
      expect((await state('mrlearn', 'learners')).caught_up_at).toBeInstanceOf(Date);
    });

    it('the next run asks only for changes since the watermark, and applies updates and deletes', async () => {
      const before = learn.served('enrollments').length;
      const beforeLearners = learn.served('learners').length;
      learn.put('learners', [
        { ...learners(1, 3)[0], name: 'Renamed Three', updated_at: platformTime(100) },
      ]);
      learn.put('enrollments', [
        { ...enrollments(1, 4)[0], progress: 99, updated_at: platformTime(101) },
        ...enrollments(2, 31, (n) => platformTime(70 + n)),
      ]);
      learn.remove('enrollments', 'E5', platformTime(102));
      learn.remove('enrollments', 'E-never-seen', platformTime(103));

      const result = await sync.run('mrlearn');

      expect(result.status).toBe('done');
      expect(learn.served('learners')[beforeLearners]).toMatchObject({
        updatedSince: platformTime(23),
        cursor: null,
      });
      expect(learn.served('enrollments')[before].updatedSince).toBe(platformTime(30));
      // The watermark is inclusive: the record at it comes again, then what changed, in platform order.
      expect(servedIds(learn, 'enrollments', before)).toEqual([
        'E30',
        'E31',
        'E4',
        'E32',
        'E5',
        'E-never-seen',
      ]);
      expect(await rows(`SELECT name FROM mrlearn.learners WHERE id = 'L3'`)).toEqual([
        { name: 'Renamed Three' },
      ]);
      expect(await rows(`SELECT progress FROM mrlearn.enrollments WHERE id = 'E4'`)).toEqual([
        { progress: 99 },
      ]);
      expect(
        await rows(`SELECT id FROM mrlearn.enrollments WHERE id IN ('E5', 'E-never-seen')`),
      ).toEqual([]);
      expect(await rows('SELECT count(*)::int AS n FROM mrlearn.enrollments')).toEqual([{ n: 31 }]);
      expect(await state('mrlearn', 'enrollments')).toMatchObject({
        watermark: new Date(platformTime(103)),
        items_deleted: 2,
        last_run_items: 6,
      });
    });

    it('a stale version of a record (older updated_at) never overwrites a newer one', async () => {
      learn.put('enrollments', [
        { ...enrollments(1, 4)[0], progress: 1, updated_at: platformTime(104) },
      ]);
      await sync.run('mrlearn');
      expect(await rows(`SELECT progress FROM mrlearn.enrollments WHERE id = 'E4'`)).toEqual([
        { progress: 1 },
      ]);
      // The platform hands out an older version again (a replica behind): it changes nothing.
      learn.put('enrollments', [
        { ...enrollments(1, 4)[0], progress: 50, updated_at: platformTime(105) },
      ]);
      await lib.database.sql(`UPDATE mrlearn.enrollments SET updated_at = $1 WHERE id = 'E4'`, [
        platformTime(200),
      ]);
      await sync.run('mrlearn');
      expect(await rows(`SELECT progress FROM mrlearn.enrollments WHERE id = 'E4'`)).toEqual([
        { progress: 1 },
      ]);
    });

    it('honours Retry-After on a 429 and goes on', async () => {
      let throttled = false;
      learn.fault((request) => {
        if (request.resource !== 'learners' || throttled) return undefined;
        throttled = true;
        return { status: 429, retryAfter: '1' };
      });
      learn.put('learners', [{ ...learners(1, 2)[0], updated_at: platformTime(300) }]);
      const from = learn.served('learners').length;

      const result = await sync.run('mrlearn');

      expect(result.status).toBe('done');
      const [refused, retried] = learn.served('learners').slice(from);
      expect(refused.status).toBe(429);
      expect(retried).toMatchObject({
        status: 200,
        updatedSince: refused.updatedSince,
        cursor: refused.cursor,
      });
      // Not before the platform said: a lower bound, the retry's own timing is free.
      expect(retried.at - refused.at).toBeGreaterThanOrEqual(990);
    });

    it('a Retry-After longer than allowed stops the run with the error recorded, then the next run resumes', async () => {
      learn.fault((request) =>
        request.resource === 'learners' ? { status: 429, retryAfter: '3600' } : undefined,
      );
      const from = learn.served('learners').length;

      const result = await sync.run('mrlearn');

      expect(result).toMatchObject({ status: 'failed' });
      expect(result.resources).toHaveLength(1);
      expect(learn.served('learners').slice(from)).toHaveLength(1);
      expect(await state('mrlearn', 'learners')).toMatchObject({
        failed_runs: 1,
        consecutive_failures: 1,
        last_error: expect.stringContaining('Retry-After 3600 s') as unknown,
        lease_owner: null,
      });

      learn.clearFaults();
      expect((await sync.run('mrlearn')).status).toBe('done');
      expect(await state('mrlearn', 'learners')).toMatchObject({
        failed_runs: 1,
        consecutive_failures: 0,
      });
    });

    it('retries 5xx with backoff; after SYNC_MAX_ATTEMPTS it stops on the last committed page and the next run resumes there', async () => {
      learn.put(
        'learners',
        learners(12, 400, (n) => platformTime(n)),
      );
      let served = 0;
      // Two pages go through, then the platform fails every request.
      learn.fault((request) => {
        if (request.resource !== 'learners') return undefined;
        return ++served > 2 ? { status: 503, body: 'maintenance' } : undefined;
      });
      const from = learn.served('learners').length;

      const failed = await sync.run('mrlearn');

      expect(failed.status).toBe('failed');
      expect(failed.resources[0]).toMatchObject({ pages: 2, items: 10, caughtUp: false });
      const afterFailure = learn.served('learners').slice(from);
      expect(afterFailure.map((request) => request.status)).toEqual([200, 200, 503, 503, 503]);
      const stopped = await state('mrlearn', 'learners');
      expect(stopped.last_error).toMatch(/failed 3 times; last: HTTP 503 maintenance/);
      expect(stopped.cursor).not.toBeNull();

      learn.clearFaults();
      const resumed = await sync.run('mrlearn');

      expect(resumed.status).toBe('done');
      const next = learn.served('learners')[from + afterFailure.length];
      expect(next.cursor).toBe(stopped.cursor);
      // Across both runs each of the 12 changed learners came exactly once.
      const ids = servedIds(learn, 'learners', from);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => /^L4(0\d|1[01])$/.test(id)).sort()).toEqual(
        learners(12, 400)
          .map((r) => r.id)
          .sort(),
      );
      expect(
        await rows(`SELECT count(*)::int AS n FROM mrlearn.learners WHERE id LIKE 'L4__'`),
      ).toEqual([{ n: 12 }]);
    });

    it('an item it cannot store stops the run; nothing of its page is written', async () => {
      learn.put('learners', [
        ...learners(2, 500, (n) => platformTime(n)),
        { id: 'L-bad', email: 'not an email', name: 'Bad', updated_at: platformTime(501) },
      ]);
      const result = await sync.run('mrlearn');

      expect(result.status).toBe('failed');
      expect(result.resources[0].error).toBe('learners L-bad: email must be an email');
      expect(await rows(`SELECT id FROM mrlearn.learners WHERE id IN ('L500', 'L501')`)).toEqual(
        [],
      );
      learn.put('learners', [
        { id: 'L-bad', email: 'fixed@partner.test', name: 'Bad', updated_at: platformTime(502) },
      ]);
      expect((await sync.run('mrlearn')).status).toBe('done');
    });

    it('a refused cursor restarts the pass from the watermark', async () => {
      learn.put(
        'learners',
        learners(7, 600, (n) => platformTime(n)),
      );
      await lib.database.sql(
        `UPDATE mrlearn.sync_state SET cursor = 'expired-cursor', pass_since = watermark WHERE resource = 'learners'`,
      );
      const from = learn.served('learners').length;

      expect((await sync.run('mrlearn')).status).toBe('done');

      const [refused, restarted] = learn.served('learners').slice(from);
      expect(refused).toMatchObject({ cursor: 'expired-cursor', status: 400 });
      expect(restarted).toMatchObject({ cursor: null, status: 200 });
      expect(
        await rows(`SELECT count(*)::int AS n FROM mrlearn.learners WHERE id LIKE 'L60_'`),
      ).toEqual([{ n: 7 }]);
    });

    it('two runs of one source at once: one runs, the other is busy and asks nothing', async () => {
      learn.put(
        'learners',
        learners(3, 700, (n) => platformTime(n)),
      );
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      learn.fault((request) => (request.resource === 'learners' ? { until: held } : undefined));
      const from = learn.requests.length;

      const first = sync.run('mrlearn');
      while (
        learn.requests.length === from &&
        !(await lib.database.sql(`SELECT 1 FROM mrlearn.sync_state WHERE lease_owner IS NOT NULL`))
          .rowCount
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const second = await sync.run('mrlearn');
      release();

      expect(second).toEqual({ source: 'mrlearn', status: 'busy', resources: [] });
      expect((await first).status).toBe('done');
    });

    it('at shutdown a run stops at its next request, records why and releases its lease', async () => {
      learn.put(
        'learners',
        learners(3, 800, (n) => platformTime(n)),
      );
      let asked = false;
      learn.fault((request) => {
        if (request.resource !== 'learners') return undefined;
        asked = true;
        return { until: new Promise(() => undefined) };
      });
      const stopped = sync.run('mrlearn');
      await until(() => Promise.resolve(asked || undefined), 'the first page asked for');

      await sync.beforeApplicationShutdown();

      const result = await stopped;
      expect(result.status).toBe('failed');
      expect(result.resources[0].error).toBe('the process is shutting down');
      expect(await state('mrlearn', 'learners')).toMatchObject({
        lease_owner: null,
        last_error: 'the process is shutting down',
      });
    });

    it('a lease left by a dead run holds the source until it lapses, then a run takes over', async () => {
      await lib.database.sql(
        `UPDATE mrlearn.sync_state SET lease_owner = 'dead-host:1:x', lease_until = now() + interval '1 second'`,
      );
      expect((await sync.run('mrlearn')).status).toBe('busy');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await sync.run('mrlearn')).status).toBe('done');
    });
  });

  describe('Mr. Test', () => {
    it('pulls assessments then attempts, linking attempts to users by email', async () => {
      const student = await createLibUser(lib.context, UserRole.Student);
      test.put('assessments', assessments(4));
      test.put('attempts', [
        ...attempts(8),
        { ...attempts(1, 9)[0], learner_email: student.email.toUpperCase() },
      ]);

      const result = await sync.run('mrtest');

      expect(result.status).toBe('done');
      expect(await rows('SELECT count(*)::int AS n FROM mrtest.assessments')).toEqual([{ n: 4 }]);
      expect(
        await rows(
          `SELECT id, user_id, score::text, assessment_id FROM mrtest.attempts WHERE user_id IS NOT NULL`,
        ),
      ).toEqual([{ id: 'T9', user_id: student.id, score: '9.50', assessment_id: 'A2' }]);
    });

    it('links rows to a user registered after they came, on the next run', async () => {
      test.put('attempts', [{ ...attempts(1, 50)[0], learner_email: 'late-comer@partner.test' }]);
      await sync.run('mrtest');
      const user = await lib.database.sql(
        `SELECT id FROM users WHERE id = (SELECT user_id FROM mrtest.attempts WHERE id = 'T50')`,
      );
      expect(user.rowCount).toBe(0);
      const late = await createLibUser(lib.context, UserRole.Student);
      await lib.database.sql(`UPDATE users SET email = 'Late-Comer@partner.test' WHERE id = $1`, [
        late.id,
      ]);

      await sync.run('mrtest');

      expect(await rows(`SELECT user_id FROM mrtest.attempts WHERE id = 'T50'`)).toEqual([
        { user_id: late.id },
      ]);
    });

    it('a 4xx other than 429 (a refused token) stops the run at once, without retrying', async () => {
      test.fault(() => ({ status: 401, body: '{"error":"unauthorized"}' }));
      const from = test.requests.length;

      const result = await sync.run('mrtest');

      expect(result.status).toBe('failed');
      expect(result.resources[0].error).toBe(
        'GET /v1/assessments: HTTP 401 {"error":"unauthorized"}',
      );
      expect(test.requests.slice(from)).toHaveLength(1);
    });
  });

  describe('on-demand runs', () => {
    const requestsWith = (env: Record<string, string>) =>
      new SyncRequests(
        loadExternalSyncConfig(env),
        lib.context.get(TransactionRunner),
        lib.context.get(OutboxService),
      );

    it('queue an outbox job for the external-sync queue; a source that is off is a 409', async () => {
      const requests = requestsWith({ MRLEARN_URL: learn.url });
      await expect(requests.request('mrlearn', 'admin-id')).resolves.toBe('mrlearn');
      expect(
        await rows(
          `SELECT channel, topic, payload FROM outbox_messages WHERE topic = 'external-sync'`,
        ),
      ).toEqual([
        {
          channel: 'job',
          topic: 'external-sync',
          payload: { source: 'mrlearn', requestedBy: 'admin-id' },
        },
      ]);
      await expectRefusal(
        requests.request('mrtest', 'admin-id'),
        ConflictError,
        'mrtest is off: set MRTEST_URL to sync it',
      );
    });
  });
});
