import pg from 'pg';
import { type DataSource } from 'typeorm';
import { openOutboxDataSource } from '@mas/testing/outbox-data-source.js';
import { listenerSessions, listeningPids, untilListening } from '@mas/testing/outbox-listeners.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { until } from '@mas/testing/until.js';
import { loadDatabaseConfig } from '../config/database-config.js';
import { OutboxChannel } from './outbox-message.entity.js';
import { OUTBOX_NOTIFY_CHANNEL } from './outbox-notify.js';
import { OutboxRelay } from './outbox-relay.js';
import { OutboxEntries, OutboxService } from './outbox.service.js';

/** Fallback polls this slow never run during a test: only a wake-up can dispatch in time. */
const SLOW = '60000';

describe('OutboxRelay woken by NOTIFY', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const outbox = new OutboxService();
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    dataSource = await openOutboxDataSource(database);
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await database.sql(`DELETE FROM outbox_messages`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  /** A running relay whose dispatcher appends each realtime message id to `delivered`. */
  function startRelay(env: Record<string, string>, delivered: string[]): OutboxRelay {
    const relay = new OutboxRelay(dataSource, loadDatabaseConfig(env));
    relay.register(OutboxChannel.Realtime, (message) => {
      delivered.push(message.id);
      return Promise.resolve();
    });
    relay.onApplicationBootstrap();
    relays.push(relay);
    return relay;
  }

  /** Commits `count` realtime rows in one transaction through OutboxService; returns their ids. */
  async function commitRows(topic: string, count: number): Promise<string[]> {
    await dataSource.transaction((tx) =>
      outbox.record(
        tx,
        Array.from({ length: count }, () =>
          OutboxEntries.realtime({ type: topic, data: {}, rooms: ['user:x'] }),
        ),
      ),
    );
    const { rows } = await database.sql(`SELECT id FROM outbox_messages WHERE topic = $1`, [topic]);
    return rows.map((row: { id: string }) => row.id);
  }

  const isDispatched = async (id: string) =>
    (
      await database.sql(`SELECT 1 FROM outbox_messages WHERE id = $1 AND status = 'dispatched'`, [
        id,
      ])
    ).rowCount
      ? true
      : undefined;

  it('dispatches a committed row at once, with every poll a minute apart', async () => {
    const delivered: string[] = [];
    startRelay({ OUTBOX_POLL_MS: SLOW, OUTBOX_FALLBACK_POLL_MS: SLOW }, delivered);
    await untilListening(database, 1, 'the listener');

    // One after another: only the first could still be caught by the drain the listener's
    // connection triggered; the others are dispatched because their commit woke the relay.
    for (const n of [1, 2, 3]) {
      const [id] = await commitRows(`test.wake-${n}`, 1);
      await until(() => isDispatched(id), `row ${n} dispatched well before the minute`, 5_000);
    }
    expect(delivered).toHaveLength(3);
  });

  it('stops listening while commits keep coming, and listens again once they stop', async () => {
    const delivered: string[] = [];
    startRelay({ OUTBOX_POLL_MS: SLOW, OUTBOX_FALLBACK_POLL_MS: SLOW }, delivered);
    await untilListening(database, 1, 'the listener');

    const committed: string[] = [];
    let streaming = true;
    const stream = (async () => {
      for (let n = 0; streaming; n++) committed.push(...(await commitRows(`test.stream-${n}`, 1)));
    })();
    try {
      await until(
        async () =>
          (await listenerSessions(database)).some((session) => !session.listening)
            ? true
            : undefined,
        'the listener unlistened while rows keep coming',
      );
    } finally {
      streaming = false;
      await stream;
    }
    await untilListening(database, 1, 'the listener listening again');

    // Polls are a minute apart: only a notification can dispatch this row in time.
    const [id] = await commitRows('test.after-stream', 1);
    await until(() => isDispatched(id), 'the row after the stream dispatched at once', 5_000);
    await until(
      () => Promise.resolve(delivered.length === committed.length + 1 ? true : undefined),
      'every streamed row dispatched',
    );
    expect([...delivered].sort()).toEqual([...committed, id].sort());
  });

  /**
   * A session that LISTENs (without registering) and reports, for `commit`, whether an outbox
   * notification came: a marker notified after `commit` arrives after any notification of it.
   */
  async function observeNotifications(): Promise<{
    notifies(commit: () => Promise<unknown>): Promise<boolean>;
    close(): Promise<void>;
  }> {
    const observer = new pg.Client({ connectionString: database.url });
    await observer.connect();
    await observer.query(`LISTEN ${OUTBOX_NOTIFY_CHANNEL}; LISTEN test_marker`);
    let heard: string[] = [];
    let marked: (() => void) | undefined;
    observer.on('notification', ({ channel }) => {
      if (channel === 'test_marker') marked?.();
      else heard.push(channel);
    });
    return {
      async notifies(commit) {
        heard = [];
        const marker = new Promise<void>((resolve) => (marked = resolve));
        await commit();
        await database.sql(`NOTIFY test_marker`);
        await marker;
        return heard.length > 0;
      },
      close: () => observer.end(),
    };
  }

  it('has writers notify only while some relay listens, and unregisters a relay that stops', async () => {
    const observer = await observeNotifications();
    try {
      expect((await database.sql(`SELECT pid FROM outbox_listeners`)).rows).toEqual([]);
      expect(await observer.notifies(() => commitRows('test.unheard', 1))).toBe(false);
      // A snapshot older than the transaction's id cannot rule out a listener: it notifies.
      const repeatableRead = () =>
        dataSource.transaction('REPEATABLE READ', (tx) =>
          outbox.record(tx, [OutboxEntries.realtime({ type: 'test.rr', data: {}, rooms: ['x'] })]),
        );
      expect(await observer.notifies(repeatableRead)).toBe(true);

      const relay = startRelay({ OUTBOX_POLL_MS: SLOW, OUTBOX_FALLBACK_POLL_MS: SLOW }, []);
      const [pid] = await untilListening(database, 1, 'the listener');
      expect((await database.sql(`SELECT pid FROM outbox_listeners`)).rows).toEqual([{ pid }]);
      expect(await observer.notifies(() => commitRows('test.heard', 1))).toBe(true);

      await relay.stop();
      expect((await database.sql(`SELECT pid FROM outbox_listeners`)).rows).toEqual([]);
      expect(await observer.notifies(() => commitRows('test.unheard-again', 1))).toBe(false);
    } finally {
      await observer.close();
    }
  });

  it('dispatches the row of a writer that was in flight when the relay listened, with no notification and polls a minute apart', async () => {
    const writer = new pg.Client({ connectionString: database.url });
    await writer.connect();
    try {
      // Written while no relay listens: the commit below will not notify.
      await writer.query('BEGIN');
      await writer.query(
        `INSERT INTO outbox_messages (channel, topic, payload, audience)
         VALUES ('realtime', 'test.in-flight', '{}', '{user:x}') RETURNING outbox_wake_relays()`,
      );
      const delivered: string[] = [];
      startRelay({ OUTBOX_POLL_MS: SLOW, OUTBOX_FALLBACK_POLL_MS: SLOW }, delivered);
      await untilListening(database, 1, 'the listener');
      await writer.query('COMMIT');

      const { rows } = await database.sql(
        `SELECT id FROM outbox_messages WHERE topic = 'test.in-flight'`,
      );
      const [{ id }] = rows as { id: string }[];
      await until(() => isDispatched(id), "the in-flight writer's row dispatched", 5_000);
      expect(delivered).toEqual([id]);
    } finally {
      await writer.end();
    }
  });

  it('removes the registrations of listeners whose backend is gone when a listener registers', async () => {
    // No backend has this pid (pids are below 2^22 on Linux).
    await database.sql(`INSERT INTO outbox_listeners (pid) VALUES (2000000000)`);
    startRelay({ OUTBOX_POLL_MS: SLOW, OUTBOX_FALLBACK_POLL_MS: SLOW }, []);
    const [pid] = await untilListening(database, 1, 'the listener');
    expect((await database.sql(`SELECT pid FROM outbox_listeners`)).rows).toEqual([{ pid }]);
  });

  it('loses and doubles nothing when notifications are missed while the listeners reconnect', async () => {
    const delivered: string[] = [];
    const env = { OUTBOX_POLL_MS: '50', OUTBOX_FALLBACK_POLL_MS: SLOW };
    startRelay(env, delivered);
    startRelay(env, delivered);
    await untilListening(database, 2, 'both listeners');

    const committed: string[] = [];
    let terminated = 0;
    for (let round = 0; round < 5; round++) {
      const pids = await listeningPids(database);
      const { rows } = await database.sql(
        `SELECT count(*)::int AS n FROM unnest($1::int[]) AS pid WHERE pg_terminate_backend(pid)`,
        [pids],
      );
      terminated += (rows[0] as { n: number }).n;
      // Committed while nobody listens: these notifications reach no relay. The last round's rows
      // are followed by no other commit, so only the relays' own catch-up can dispatch them.
      for (let batch = 0; batch < 4; batch++)
        committed.push(...(await commitRows(`test.missed-${round}-${batch}`, 5)));
      await untilListening(database, 2, 'the listeners back');
    }

    await until(
      async () =>
        (await database.sql(`SELECT 1 FROM outbox_messages WHERE status = 'pending'`)).rowCount
          ? undefined
          : true,
      'every row dispatched',
    );
    expect(terminated).toBeGreaterThanOrEqual(10);
    expect(committed).toHaveLength(100);
    expect([...delivered].sort()).toEqual([...committed].sort());
    expect(new Set(delivered).size).toBe(delivered.length);
  });
});
