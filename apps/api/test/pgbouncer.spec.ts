import { dropDatabase, loadMigrations, OUTBOX_LISTENER_APPLICATION_NAME } from '@mas/persistence';
import pg from 'pg';
import { concurrently } from '@mas/testing/concurrently.js';
import { freePort } from '@mas/testing/free-port.js';
import { fund, ledgerViolations, slotLedgerViolations } from '@mas/testing/ledger.js';
import { PrivatePgBouncer } from '@mas/testing/private-pgbouncer.js';
import { connectEvents, listen } from '@mas/testing/realtime.js';
import { untilListening } from '@mas/testing/outbox-listeners.js';
import { createSlot } from '@mas/testing/slots.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';

/** Server connections per database: far fewer than the app's pool of 10. */
const SERVER_CONNECTIONS = 2;

/** What PgBouncer itself sets on a server connection to match each client (its tracked parameters). */
const SET_BY_PGBOUNCER = [
  'application_name',
  'client_encoding',
  'DateStyle',
  'TimeZone',
  'standard_conforming_strings',
];

interface SessionState {
  pid: number;
  prepared: number;
  listening: number;
  advisoryLocks: number;
  tempTables: number;
  settings: string[];
}

describe('behind PgBouncer in transaction mode (DATABASE_URL = bouncer, DATABASE_DIRECT_URL = server)', () => {
  let bouncer: PrivatePgBouncer;
  const apps: TestApp[] = [];
  const databases: TestDatabase[] = [];

  const throughBouncer = (database: TestDatabase, env: Record<string, string> = {}) => ({
    DATABASE_URL: bouncer.url(database.connection.database),
    DATABASE_DIRECT_URL: database.url,
    DB_POOL_MAX: '10',
    ...env,
  });

  async function bootThroughBouncer(
    database: TestDatabase,
    env: Record<string, string> = {},
  ): Promise<TestApp> {
    const app = await startTestApp(database, throughBouncer(database, env));
    apps.push(app);
    return app;
  }

  async function migratedDatabase(): Promise<TestDatabase> {
    const database = await createTestDatabase({ migrated: true });
    databases.push(database);
    return database;
  }

  /** The bouncer's clients and server connections of one database. */
  async function connectionsOf(database: string): Promise<{ clients: number; servers: number }> {
    const ofDatabase = (rows: Record<string, unknown>[]) =>
      rows.filter((row) => row.database === database).length;
    return {
      clients: ofDatabase(await bouncer.show('CLIENTS')),
      servers: ofDatabase(await bouncer.show('SERVERS')),
    };
  }

  /**
   * What every server connection of the database's pool still carries. Each probe holds a
   * transaction, so together they occupy all SERVER_CONNECTIONS server connections of the pool, and
   * with no reset query any state a client left on one is still there to see.
   */
  async function sessionStateOfServers(database: string): Promise<SessionState[]> {
    const probes = Array.from(
      { length: SERVER_CONNECTIONS },
      () => new pg.Client({ connectionString: bouncer.url(database) }),
    );
    await Promise.all(probes.map((probe) => probe.connect()));
    try {
      await Promise.all(probes.map((probe) => probe.query('BEGIN')));
      const states = await Promise.all(
        probes.map(async (probe) => {
          const { rows } = await probe.query<SessionState>(
            `SELECT pg_backend_pid() AS pid,
                    (SELECT count(*) FROM pg_prepared_statements)::int AS prepared,
                    (SELECT count(*) FROM pg_listening_channels())::int AS listening,
                    (SELECT count(*) FROM pg_locks
                      WHERE pid = pg_backend_pid() AND locktype = 'advisory')::int AS "advisoryLocks",
                    (SELECT count(*) FROM pg_class
                      WHERE relnamespace = pg_my_temp_schema())::int AS "tempTables",
                    coalesce((SELECT array_agg(name ORDER BY name) FROM pg_settings
                               WHERE source = 'session' AND NOT name = ANY($1)), '{}') AS settings`,
            [SET_BY_PGBOUNCER],
          );
          return rows[0];
        }),
      );
      await Promise.all(probes.map((probe) => probe.query('COMMIT')));
      return states;
    } finally {
      await Promise.all(probes.map((probe) => probe.end()));
    }
  }

  beforeAll(async () => {
    bouncer = await PrivatePgBouncer.start(process.env.TEST_SERVER_URL!, {
      port: await freePort(),
      poolSize: SERVER_CONNECTIONS,
    });
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await bouncer?.stop();
    await Promise.all(databases.map((database) => database.drop()));
  });

  describe('one app on ten pooled connections sharing two server connections', () => {
    let database: TestDatabase;
    let app: TestApp;
    let adminToken: string;
    let mentor: TestUser;

    beforeAll(async () => {
      database = await migratedDatabase();
      // Polls a minute apart: an event arrives only because the booking woke the relay (NOTIFY).
      app = await bootThroughBouncer(database, {
        // A startup parameter PgBouncer 1.18 refuses: the pooled connections must not send it.
        DB_STATEMENT_TIMEOUT_MS: '30000',
        OUTBOX_POLL_MS: '60000',
        OUTBOX_FALLBACK_POLL_MS: '60000',
      });
      adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
      mentor = await createUserWithRole(app, 'expert', adminToken);
    });

    afterEach(async () => {
      expect(await ledgerViolations(database)).toEqual([]);
      expect(await slotLedgerViolations(database)).toEqual([]);
    });

    it('writes and reads back; 20 students booking one slot at once: one 200, nineteen 409', async () => {
      const slot = await createSlot(app, mentor.token, { priceTokens: 2 });
      const fetched = await app
        .http()
        .get(`/api/mentorship/slots/${slot.id}`)
        .set('Authorization', `Bearer ${mentor.token}`)
        .expect(200);
      expect(fetched.body).toMatchObject({ id: slot.id, status: 'tentative', studentId: null });

      const students = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const student = await createUserWithRole(app, 'student', adminToken);
          await fund(app, adminToken, student.id, 3);
          return student;
        }),
      );
      const { fulfilled, rejected } = await concurrently(
        students.map(
          (student) => () =>
            app
              .http()
              .post(`/api/mentorship/slots/${slot.id}/book`)
              .set('Authorization', `Bearer ${student.token}`)
              .then((response) => response.status),
        ),
      );
      expect(rejected).toEqual([]);
      expect(fulfilled.filter((status) => status === 200)).toHaveLength(1);
      expect(fulfilled.filter((status) => status === 409)).toHaveLength(19);
      const booked = await database.sql(
        `SELECT count(*)::int AS n FROM token_usages WHERE slot_id = $1`,
        [slot.id],
      );
      expect(booked.rows[0].n).toBe(1);

      const { clients, servers } = await connectionsOf(database.connection.database);
      expect(servers).toBeLessThanOrEqual(SERVER_CONNECTIONS);
      expect(clients).toBeGreaterThan(SERVER_CONNECTIONS);
    });

    it('a student with tokens for 3 bookings booking 10 slots at once: exactly 3 succeed', async () => {
      const student = await createUserWithRole(app, 'student', adminToken);
      await fund(app, adminToken, student.id, 6);
      const slots = await Promise.all(
        Array.from({ length: 10 }, () => createSlot(app, mentor.token, { priceTokens: 2 })),
      );
      const responses = await Promise.all(
        slots.map((slot) =>
          app
            .http()
            .post(`/api/mentorship/slots/${slot.id}/book`)
            .set('Authorization', `Bearer ${student.token}`),
        ),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(3);
      expect(statuses.filter((status) => status === 422)).toHaveLength(7);
      const wallet = await database.sql(`SELECT balance FROM token_wallets WHERE user_id = $1`, [
        student.id,
      ]);
      expect(wallet.rows[0].balance).toBe(0);
    });

    it('realtime events arrive: the outbox listener LISTENs on the server, not through the bouncer', async () => {
      const baseUrl = await listen(app);
      const student = await createUserWithRole(app, 'student', adminToken);
      await fund(app, adminToken, student.id, 2);
      const mentorEvents = await connectEvents(baseUrl, { token: mentor.token });
      try {
        const slot = await createSlot(app, mentor.token, { priceTokens: 2 });
        await app
          .http()
          .post(`/api/mentorship/slots/${slot.id}/book`)
          .set('Authorization', `Bearer ${student.token}`)
          .expect(200);
        expect(await mentorEvents.next('slot.booked')).toMatchObject({
          data: { slotId: slot.id, studentId: student.id },
        });
      } finally {
        mentorEvents.close();
      }

      const bouncerListeners = (await bouncer.show('CLIENTS')).filter(
        (row) => row.application_name === OUTBOX_LISTENER_APPLICATION_NAME,
      );
      expect(bouncerListeners).toEqual([]);
      // Right after a drain the relay may still be polling (unregistered); idle, it listens again.
      await untilListening(database, 1, 'one listener on a server connection of its own');
    });

    it('leaves no session state on the server connections it shared (no reset query runs between clients)', async () => {
      const states = await sessionStateOfServers(database.connection.database);
      expect(new Set(states.map((state) => state.pid)).size).toBe(SERVER_CONNECTIONS);
      for (const state of states) {
        expect(state).toMatchObject({
          prepared: 0,
          listening: 0,
          advisoryLocks: 0,
          tempTables: 0,
          settings: [],
        });
      }
    });
  });

  it('the session-state check sees what an app with DB_PREPARED_STATEMENTS=true leaves behind', async () => {
    const database = await migratedDatabase();
    const app = await bootThroughBouncer(database, { DB_PREPARED_STATEMENTS: 'true' });
    // The same parameterized lookups again and again: hot, so prepared under a name.
    for (let round = 0; round < 6; round++) {
      await app.http().post('/api/auth/login').send(TEST_ADMIN);
    }
    const states = await sessionStateOfServers(database.connection.database);
    const prepared = states.reduce((sum, state) => sum + state.prepared, 0);
    expect(prepared).toBeGreaterThan(0);
  });

  it('two instances booting at once create the database and migrate once, through the direct URL', async () => {
    const database = await createTestDatabase({ migrated: false });
    databases.push(database);
    // Gone again: only the direct URL can create it (the bouncer cannot log in to a missing database).
    await dropDatabase(database.connection, false);

    const booted = await Promise.all([bootThroughBouncer(database), bootThroughBouncer(database)]);
    for (const app of booted) {
      const health = await app.http().get('/api/health').expect(200);
      expect(health.body.info.migrations.status).toBe('up');
    }
    const migrations = await database.sql(
      `SELECT name, count(*)::int AS n FROM migrations GROUP BY name`,
    );
    expect(migrations.rowCount).toBe((await loadMigrations()).length);
    expect(migrations.rows.every((row: { n: number }) => row.n === 1)).toBe(true);
    // Nest's logger is process-wide, so a boot line may land in any app of this file; the other
    // apps booted on migrated databases and have nothing to apply or create.
    const logs = apps.flatMap((app) => app.logs);
    const applied = logs.filter((line) => /applied \d+ migration\(s\)/.test(line));
    expect(applied).toHaveLength(1);
    expect(applied[0]).toContain(`applied ${migrations.rowCount} migration(s)`);
    const created = logs.filter((line) => line.includes('created database'));
    expect(created).toHaveLength(1);
    expect(created[0]).toContain(database.connection.database);
    expect(logs.filter((line) => line.includes('Retrying'))).toEqual([]);
  });
});
