import type { ChildProcess } from 'node:child_process';
import { startApiProcess } from '@mas/testing/api-process.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { User, UserRole } from '@mas/identity';
import {
  OutboxService,
  roleRoom,
  type SessionRevokedReason,
  sessionRevoked,
  TransactionRunner,
  userRoom,
} from '@mas/persistence';
import { type EntityManager } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';
import {
  connectEvents,
  type EventsClient,
  handshakeRefusal,
  listen,
} from '@mas/testing/realtime.js';
import { until } from '@mas/testing/until.js';
import { UNAUTHORIZED_MESSAGE } from '../src/realtime/socket-authenticator.js';
import { TOO_MANY_SOCKETS_MESSAGE } from '../src/realtime/socket-cap.js';

const CAP = 3;
const CAP_ENV = { SOCKETS_PER_USER_MAX: String(CAP) };

interface Disconnection {
  reason: string;
  at: number;
  /** Whether `session.revoked` had arrived before the connection closed. */
  toldWhy: boolean;
}

/** Resolves when the server closes the client's connection. */
function disconnection(client: EventsClient): Promise<Disconnection> {
  return new Promise((resolve) => {
    client.socket.once('disconnect', (reason) =>
      resolve({
        reason,
        at: Date.now(),
        toldWhy: client.received.some((entry) => entry.event === 'session.revoked'),
      }),
    );
  });
}

describe('realtime: sockets follow permissions', () => {
  let database: TestDatabase;
  /** Relays the outbox. */
  let instanceA: TestApp;
  /** Same database and Redis, relay disabled: what reaches its sockets came through Redis. */
  let instanceB: TestApp;
  let urlA: string;
  let urlB: string;
  let adminToken: string;
  const clients: EventsClient[] = [];
  const children: ChildProcess[] = [];

  /**
   * A socket in its rooms: 'connect' comes before the server has joined them and looked at the
   * user again, and a revocation committed in between closes the socket without the event.
   */
  async function connect(url: string, user: TestUser): Promise<EventsClient> {
    const client = await connectEvents(url, { token: user.token });
    clients.push(client);
    await client.ready;
    return client;
  }

  /** Commits `change` and the user's session.revoked outbox row in one transaction. */
  async function revoke(
    user: TestUser,
    reason: SessionRevokedReason,
    change?: (tx: EntityManager) => Promise<unknown>,
  ): Promise<void> {
    const outbox = instanceA.app.get(OutboxService);
    await instanceA.app.get(TransactionRunner).run(async (tx) => {
      await change?.(tx);
      await outbox.publish(tx, sessionRevoked(user.id, reason));
    });
  }

  async function publish(type: string, rooms: string[]): Promise<void> {
    const outbox = instanceA.app.get(OutboxService);
    await instanceA.app
      .get(TransactionRunner)
      .run((tx) => outbox.publish(tx, { type, data: {}, rooms }));
  }

  const newUser = (role: string) => createUserWithRole(instanceA, role, adminToken);

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    [instanceA, instanceB] = await Promise.all([
      startTestApp(database, CAP_ENV),
      startTestApp(database, { ...CAP_ENV, OUTBOX_RELAY_ENABLED: 'false' }),
    ]);
    [urlA, urlB] = await Promise.all([listen(instanceA), listen(instanceB)]);
    adminToken = await login(instanceA, TEST_ADMIN.email, TEST_ADMIN.password);
  });

  afterEach(() => {
    clients.splice(0).forEach((client) => client.close());
  });

  afterAll(async () => {
    children.forEach((child) => child.kill('SIGKILL'));
    await Promise.all([instanceA?.close(), instanceB?.close()]);
    await database?.drop();
  });

  describe('session.revoked', () => {
    it("tells the user's sockets on both instances why, then disconnects them within a second; others stay", async () => {
      const user = await newUser('student');
      const bystander = await newUser('student');
      const [onA, onB] = [await connect(urlA, user), await connect(urlB, user)];
      const bystanderOnB = await connect(urlB, bystander);
      const closed = [disconnection(onA), disconnection(onB)];

      const started = Date.now();
      await revoke(user, 'tokens_revoked');
      const results = await Promise.all(closed);
      const elapsedMs = Math.max(...results.map((result) => result.at)) - started;

      console.log(
        `session.revoked: both instances' sockets disconnected ${elapsedMs} ms after commit start`,
      );
      expect(elapsedMs).toBeLessThan(1000);
      for (const result of results) {
        expect(result).toMatchObject({ reason: 'io server disconnect', toldWhy: true });
      }
      expect(await onB.next('session.revoked')).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: 'session.revoked',
        occurredAt: expect.any(String),
        data: { userId: user.id, reason: 'tokens_revoked' },
      });
      // Marked done only after Redis confirmed the broadcast, so possibly after the disconnects.
      const row = await until(async () => {
        const { rows } = await database.sql(
          `SELECT status, attempts FROM outbox_messages WHERE topic = 'session.revoked' AND $1 = ANY(audience)`,
          [userRoom(user.id)],
        );
        return rows[0]?.status === 'dispatched' ? rows[0] : undefined;
      }, 'the session.revoked row to be dispatched');
      expect(row).toEqual({ status: 'dispatched', attempts: 1 });

      await publish('test.still-connected', [userRoom(bystander.id)]);
      await bystanderOnB.next('test.still-connected');
      expect(bystanderOnB.socket.connected).toBe(true);
      expect(bystanderOnB.received.map((entry) => entry.event)).toEqual(['test.still-connected']);
    });

    it('a demoted admin reconnects with the same token into the rooms of the new role only', async () => {
      const demoted = await newUser('admin');
      const witness = await newUser('admin');
      const before = [await connect(urlA, demoted), await connect(urlB, demoted)];
      await publish('test.admin-before', [roleRoom('admin')]);
      for (const client of before) await client.next('test.admin-before');
      const closed = before.map(disconnection);

      await revoke(demoted, 'role_changed', (tx) =>
        tx.update(User, { id: demoted.id }, { role: UserRole.Student }),
      );
      for (const result of await Promise.all(closed)) expect(result.toldWhy).toBe(true);

      const after = [await connect(urlA, demoted), await connect(urlB, demoted)];
      const witnesses = [await connect(urlA, witness), await connect(urlB, witness)];
      await publish('test.admin-only', [roleRoom('admin')]);
      for (const client of witnesses) await client.next('test.admin-only');
      await publish('test.students', [roleRoom('student')]);
      for (const client of after) {
        await client.next('test.students');
        expect(client.received.map((entry) => entry.event)).toEqual(['test.students']);
      }
    });

    it("refuses a deactivated user's reconnect on both instances", async () => {
      const user = await newUser('sales');
      const sockets = [await connect(urlA, user), await connect(urlB, user)];
      const closed = sockets.map(disconnection);

      await revoke(user, 'deactivated', (tx) =>
        tx.update(User, { id: user.id }, { isActive: false }),
      );
      for (const result of await Promise.all(closed)) expect(result.toldWhy).toBe(true);

      for (const url of [urlA, urlB]) {
        const refusal = await handshakeRefusal(url, { token: user.token });
        expect(refusal.message).toBe(UNAUTHORIZED_MESSAGE);
      }
    });
  });

  // Needs the identity change: PATCH /api/users/:id writes session.revoked with the update.
  describe('through the admin route', () => {
    it.each([
      ['deactivation', { isActive: false }, 'deactivated'],
      ['role change', { role: 'student' }, 'role_changed'],
    ])('a %s over HTTP disconnects the sockets on both instances', async (_, body, reason) => {
      const user = await newUser('sales');
      const sockets = [await connect(urlA, user), await connect(urlB, user)];
      const closed = sockets.map(disconnection);

      await instanceB
        .http()
        .patch(`/api/users/${user.id}`)
        .set('Authorization', `Bearer ${adminToken}`)
        .send(body)
        .expect(200);

      const within = (ms: number) =>
        sleep(ms).then(() => {
          throw new Error(`not disconnected within ${ms} ms of the PATCH`);
        });
      const results = await Promise.race([Promise.all(closed), within(3000)]);
      for (const result of results) expect(result.toldWhy).toBe(true);
      expect(await sockets[1].next('session.revoked')).toMatchObject({
        data: { userId: user.id, reason },
      });
    });
  });

  describe(`at most SOCKETS_PER_USER_MAX (${CAP}) sockets per user across instances`, () => {
    it('refuses the connection beyond the cap on either instance, and accepts one again after a close', async () => {
      const user = await newUser('student');
      const open = [
        await connect(urlA, user),
        await connect(urlA, user),
        await connect(urlB, user),
      ];

      for (const url of [urlA, urlB]) {
        const refusal = (await handshakeRefusal(url, { token: user.token })) as Error & {
          data?: unknown;
        };
        expect(refusal.message).toBe(TOO_MANY_SOCKETS_MESSAGE);
        expect(refusal.data).toEqual({ max: CAP });
      }
      // Another user's sockets are counted apart.
      await connect(urlB, await newUser('student'));

      open[0].close();
      const replacement = await until(
        () => connectEvents(urlB, { token: user.token }).catch(() => undefined),
        'a free slot after a close',
        3000,
      );
      clients.push(replacement);
      expect(replacement.socket.connected).toBe(true);
    });

    it('admits exactly the cap out of concurrent handshakes spread over both instances', async () => {
      const user = await newUser('student');
      const attempts = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          connectEvents(i % 2 ? urlA : urlB, { token: user.token }),
        ),
      );
      const accepted = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
      clients.push(...accepted);
      const refusals = attempts.flatMap((a) =>
        a.status === 'rejected' ? [(a.reason as Error).message] : [],
      );

      expect(accepted).toHaveLength(CAP);
      expect(refusals).toEqual(Array(8 - CAP).fill(TOO_MANY_SOCKETS_MESSAGE));
    });

    it('frees the slots of a crashed instance once their lease lapses', async () => {
      const leaseMs = 1500;
      const { child, url: urlC } = await startApiProcess(
        database,
        {
          ...CAP_ENV,
          SOCKET_SLOT_LEASE_MS: String(leaseMs),
          APP_ROLE: 'api',
          OUTBOX_RELAY_ENABLED: 'false',
        },
        '/api/health/live',
      );
      children.push(child);
      const user = await newUser('student');
      for (let i = 0; i < CAP; i++) await connect(urlC, user);

      child.kill('SIGKILL');
      const killed = Date.now();
      const refusal = await handshakeRefusal(urlA, { token: user.token });
      expect(refusal.message).toBe(TOO_MANY_SOCKETS_MESSAGE);

      const admitted = await until(
        () => connectEvents(urlA, { token: user.token }).catch(() => undefined),
        'the crashed instance slots to expire',
        leaseMs + 3000,
      );
      clients.push(admitted);
      const freedAfterMs = Date.now() - killed;
      console.log(
        `slots of a SIGKILLed instance freed ${freedAfterMs} ms after the kill (lease ${leaseMs} ms)`,
      );
      expect(freedAfterMs).toBeLessThanOrEqual(leaseMs + 1000);
    }, 60_000);
  });
});
