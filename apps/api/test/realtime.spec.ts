import { setTimeout as sleep } from 'node:timers/promises';
import {
  OutboxService,
  type RealtimeEvent,
  roleRoom,
  TransactionRunner,
  userRoom,
} from '@mas/persistence';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';
import {
  connectEvents,
  type EventsClient,
  handshakeRefusal,
  type HandshakeCredentials,
  listen,
} from '@mas/testing/realtime.js';
import { TcpProxy } from '@mas/testing/tcp-proxy.js';
import {
  EventsGateway,
  REPLAY_INCOMPLETE,
  SERVER_SHUTTING_DOWN,
} from '../src/realtime/events.gateway.js';
import { UNAUTHORIZED_MESSAGE } from '../src/realtime/socket-authenticator.js';

/** Writes a realtime outbox row through the app's own OutboxService, in a committed transaction. */
async function publish(testApp: TestApp, event: RealtimeEvent): Promise<void> {
  const outbox = testApp.app.get(OutboxService);
  await testApp.app.get(TransactionRunner).run((tx) => outbox.publish(tx, event));
}

/** Polls `read` until `done` holds, for at most `timeoutMs`; returns the last value read. */
async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(50);
  }
}

const outboxRow = async (database: TestDatabase, topic: string) =>
  (
    await database.sql(
      `SELECT id, status, attempts, last_error FROM outbox_messages WHERE channel = 'realtime' AND topic = $1`,
      [topic],
    )
  ).rows;

describe('realtime gateway', () => {
  let database: TestDatabase;
  /** Relays the outbox. */
  let instanceA: TestApp;
  /** Same database, relay disabled: whatever its clients receive came from A through Redis. */
  let instanceB: TestApp;
  let urlA: string;
  let urlB: string;
  let adminToken: string;
  const clients: EventsClient[] = [];

  async function connect(url: string, credentials: HandshakeCredentials): Promise<EventsClient> {
    const client = await connectEvents(url, credentials);
    clients.push(client);
    return client;
  }

  const student = () => createUserWithRole(instanceA, 'student', adminToken);

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    [instanceA, instanceB] = await Promise.all([
      startTestApp(database),
      startTestApp(database, { OUTBOX_RELAY_ENABLED: 'false' }),
    ]);
    [urlA, urlB] = await Promise.all([listen(instanceA), listen(instanceB)]);
    adminToken = await login(instanceA, TEST_ADMIN.email, TEST_ADMIN.password);
  });

  afterEach(() => {
    clients.splice(0).forEach((client) => client.close());
  });

  afterAll(async () => {
    await Promise.all([instanceA?.close(), instanceB?.close()]);
    await database?.drop();
  });

  describe('handshake', () => {
    it('refuses a connection without a token', async () => {
      const error = await handshakeRefusal(urlA, {});
      expect(error.message).toBe(UNAUTHORIZED_MESSAGE);
    });

    it('refuses forged, malformed and non-bearer credentials', async () => {
      const user = await student();
      const [header, payload] = user.token.split('.');
      const forged = `${header}.${payload}.${'A'.repeat(43)}`;
      for (const credentials of [
        { token: forged },
        { token: 'not-a-jwt' },
        { headers: { Authorization: `Bearer ${forged}` } },
        { headers: { Authorization: `Basic ${user.token}` } },
      ]) {
        const error = await handshakeRefusal(urlA, credentials);
        expect(error.message).toBe(UNAUTHORIZED_MESSAGE);
      }
    });

    it('refuses the valid token of a deactivated user', async () => {
      const user = await student();
      await instanceA
        .http()
        .patch(`/api/users/${user.id}`)
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ isActive: false })
        .expect(200);
      const error = await handshakeRefusal(urlA, { token: user.token });
      expect(error.message).toBe(UNAUTHORIZED_MESSAGE);
    });

    it('accepts auth.token or a Bearer header and joins the user and role rooms', async () => {
      const salesUser = await createUserWithRole(instanceA, 'sales', adminToken);
      const viaAuth = await connect(urlA, { token: salesUser.token });
      const viaHeader = await connect(urlA, {
        headers: { Authorization: `Bearer ${salesUser.token}` },
      });

      await publish(instanceA, {
        type: 'test.to-user',
        data: { n: 1 },
        rooms: [userRoom(salesUser.id)],
      });
      await publish(instanceA, {
        type: 'test.to-role',
        data: { n: 2 },
        rooms: [roleRoom('sales')],
      });

      for (const client of [viaAuth, viaHeader]) {
        expect(await client.next('test.to-user')).toEqual({
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          type: 'test.to-user',
          occurredAt: expect.any(String),
          data: { n: 1 },
        });
        expect(await client.next('test.to-role')).toMatchObject({ data: { n: 2 } });
      }
    });
  });

  describe('delivery', () => {
    let alice: TestUser;
    let bob: TestUser;

    beforeAll(async () => {
      [alice, bob] = [await student(), await student()];
    });

    it('delivers an event committed and relayed on instance A to a client connected to instance B', async () => {
      const onB = await connect(urlB, { token: alice.token });

      await publish(instanceA, {
        type: 'test.cross-instance',
        data: { slotId: 'slot-1' },
        rooms: [userRoom(alice.id)],
      });

      const received = await onB.next('test.cross-instance');
      const [row] = await eventually(
        () => outboxRow(database, 'test.cross-instance'),
        (rows) => rows[0]?.status === 'dispatched',
      );
      expect(row).toMatchObject({ status: 'dispatched', attempts: 1 });
      // Through the Redis adapter, the event keeps its outbox id: what a client dedupes by.
      expect(received).toEqual({
        id: row.id,
        type: 'test.cross-instance',
        occurredAt: expect.any(String),
        data: { slotId: 'slot-1' },
      });
    });

    it("does not deliver an event addressed to another user's room", async () => {
      const aliceOnB = await connect(urlB, { token: alice.token });
      const bobOnB = await connect(urlB, { token: bob.token });
      const bobOnA = await connect(urlA, { token: bob.token });

      await publish(instanceA, { type: 'test.for-bob', data: {}, rooms: [userRoom(bob.id)] });
      await bobOnA.next('test.for-bob');
      await bobOnB.next('test.for-bob');
      // Alice's socket would have received Bob's event before this later one.
      await publish(instanceA, { type: 'test.for-alice', data: {}, rooms: [userRoom(alice.id)] });
      await aliceOnB.next('test.for-alice');

      expect(aliceOnB.received.map((entry) => entry.event)).toEqual(['test.for-alice']);
      expect(bobOnB.received.map((entry) => entry.event)).toEqual(['test.for-bob']);
    });

    it('never delivers an event whose transaction rolled back', async () => {
      const aliceOnB = await connect(urlB, { token: alice.token });
      const outbox = instanceA.app.get(OutboxService);

      await expect(
        instanceA.app.get(TransactionRunner).run(async (tx) => {
          await outbox.publish(tx, {
            type: 'test.rolled-back',
            data: {},
            rooms: [userRoom(alice.id)],
          });
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      await publish(instanceA, {
        type: 'test.after-rollback',
        data: {},
        rooms: [userRoom(alice.id)],
      });
      await aliceOnB.next('test.after-rollback');

      expect(await outboxRow(database, 'test.rolled-back')).toEqual([]);
      expect(aliceOnB.received.map((entry) => entry.event)).toEqual(['test.after-rollback']);
    });
  });

  describe('reconnecting', () => {
    let carol: TestUser;
    let dave: TestUser;

    beforeAll(async () => {
      [carol, dave] = [await student(), await student()];
    });

    const idOf = async (client: EventsClient, event: string) =>
      ((await client.next(event)) as { id: string }).id;

    it('replays what a client missed since its last event, and nothing of other rooms', async () => {
      const first = await connect(urlB, { token: carol.token });
      await publish(instanceA, { type: 'test.seen', data: {}, rooms: [userRoom(carol.id)] });
      const lastEventId = await idOf(first, 'test.seen');
      first.close();

      for (const n of [1, 2])
        await publish(instanceA, {
          type: `test.missed-${n}`,
          data: { n },
          rooms: [userRoom(carol.id)],
        });
      await publish(instanceA, { type: 'test.not-carols', data: {}, rooms: [userRoom(dave.id)] });
      await eventually(
        () => database.sql(`SELECT 1 FROM outbox_messages WHERE status = 'pending'`),
        (result) => result.rowCount === 0,
      );

      const again = await connect(urlB, { token: carol.token, lastEventId });
      await again.next('test.missed-2');
      await publish(instanceA, { type: 'test.live', data: {}, rooms: [userRoom(carol.id)] });
      await again.next('test.live');
      const rows = await database.sql(
        `SELECT id, topic FROM outbox_messages WHERE topic IN ('test.missed-1', 'test.missed-2') ORDER BY topic`,
      );
      expect(
        again.received.map(({ event, payload }) => [event, (payload as { id: string }).id]),
      ).toEqual([
        ['test.missed-1', rows.rows[0].id],
        ['test.missed-2', rows.rows[1].id],
        ['test.live', expect.any(String)],
      ]);
    });

    it('replays after the since of events.ready for a client that received no event before', async () => {
      const first = await connect(urlB, { token: dave.token });
      const since = await first.ready;
      expect(typeof since).toBe('string');
      first.close();
      await publish(instanceA, { type: 'test.while-away', data: {}, rooms: [userRoom(dave.id)] });
      await eventually(
        () => database.sql(`SELECT 1 FROM outbox_messages WHERE status = 'pending'`),
        (result) => result.rowCount === 0,
      );
      const again = await connect(urlB, { token: dave.token, since: since! });
      expect(await again.next('test.while-away')).toMatchObject({ type: 'test.while-away' });
    });

    it('says the replay is incomplete for an id that is not one of its events', async () => {
      await publish(instanceA, { type: 'test.daves', data: {}, rooms: [userRoom(dave.id)] });
      const [{ id: davesEventId }] = await eventually(
        () => outboxRow(database, 'test.daves'),
        (rows) => rows.length === 1,
      );
      for (const lastEventId of ['00000000-0000-4000-8000-000000000000', davesEventId, 'junk']) {
        const client = await connect(urlB, { token: carol.token, lastEventId });
        expect(await client.next(REPLAY_INCOMPLETE)).toEqual({
          lastEventId,
          reason: 'unknown_event',
        });
        expect(client.received.map((entry) => entry.event)).toEqual([REPLAY_INCOMPLETE]);
      }
    });

    it('at shutdown tells its clients, then closes their transports so they reconnect elsewhere', async () => {
      const client = await connect(urlB, { token: carol.token });
      const reason = new Promise((resolve) => client.socket.once('disconnect', resolve));
      expect(instanceB.app.get(EventsGateway).handOver()).toBeGreaterThanOrEqual(1);
      expect(await client.next(SERVER_SHUTTING_DOWN)).toEqual({ reconnect: true });
      // 'transport close' makes socket.io-client reconnect; 'io server disconnect' would not.
      expect(await reason).toBe('transport close');
    });
  });

  describe('while Redis is down', () => {
    it('keeps the row pending and delivers it once Redis is back', async () => {
      const redis = await TcpProxy.reserve({ host: '127.0.0.1', port: 6379 });
      const ownDatabase = await createTestDatabase({ migrated: true });
      const instance = await startTestApp(ownDatabase, {
        REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      });
      try {
        const user = await createUserWithRole(instance, 'student');
        const client = await connect(await listen(instance), { token: user.token });

        await publish(instance, {
          type: 'test.after-outage',
          data: { n: 1 },
          rooms: [userRoom(user.id)],
        });
        const [failed] = await eventually(
          () => outboxRow(ownDatabase, 'test.after-outage'),
          (rows) => rows[0]?.last_error != null,
        );
        expect(failed).toMatchObject({
          status: 'pending',
          last_error: expect.stringMatching(/redis is not ready/),
        });
        expect(client.received).toEqual([]);

        await redis.start();
        // Bounded by the relay's backoff (2 s, 4 s, ...) and the client's reconnect delay.
        const received = await client.next('test.after-outage', 20_000);
        const [row] = await eventually(
          () => outboxRow(ownDatabase, 'test.after-outage'),
          (rows) => rows[0]?.status === 'dispatched',
        );
        expect(row.status).toBe('dispatched');
        // Retried by the relay, still the row's id.
        expect(row.attempts).toBeGreaterThan(1);
        expect(received).toMatchObject({ id: failed.id, data: { n: 1 } });
      } finally {
        clients.splice(0).forEach((client) => client.close());
        await instance.close();
        await redis.stop();
        await ownDatabase.drop();
      }
    });
  });
});
