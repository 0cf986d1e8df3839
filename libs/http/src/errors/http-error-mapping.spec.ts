import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import {
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { mapPostgresError, mapUnavailableDependency } from './http-error-mapping.js';

describe('mapPostgresError', () => {
  it.each([
    ['23505', 409],
    ['23P01', 409],
    ['23514', 422],
    ['23502', 422],
    ['22P02', 400],
    ['22001', 400],
    ['40001', 503],
    ['40P01', 503],
    ['57014', 503],
  ])('SQLSTATE %s → %i', (code, status) => {
    expect(mapPostgresError({ code })?.status).toBe(status);
  });

  it('tells a missing reference (422) from a still-referenced row (409)', () => {
    expect(
      mapPostgresError({
        code: '23503',
        detail: 'Key (user_id)=(x) is not present in table "users".',
      })?.status,
    ).toBe(422);
    expect(
      mapPostgresError({
        code: '23503',
        detail: 'Key (id)=(x) is still referenced from table "slots".',
      })?.status,
    ).toBe(409);
  });

  describe('details', () => {
    const detailsOf = (error: Parameters<typeof mapPostgresError>[0]) =>
      mapPostgresError(error)?.details;

    it('names the field of a one-column unique violation, never its value', () => {
      const mapped = mapPostgresError({
        code: '23505',
        constraint: 'uq_users_email',
        detail: 'Key (email)=(secret@example.com) already exists.',
      });
      expect(mapped?.details).toEqual([{ field: 'email', message: 'is already taken' }]);
      expect(JSON.stringify(mapped)).not.toContain('secret@example.com');
    });

    it('names every column of a composite unique key, camelCased, in one entry', () => {
      expect(
        detailsOf({
          code: '23505',
          constraint: 'idx_applications_user_id_batch_id',
          detail: 'Key (user_id, batch_id)=(a, b) already exists.',
        }),
      ).toEqual([{ message: 'the combination of userId, batchId is already taken' }]);
    });

    it('names the field of a missing reference and of a NOT NULL violation', () => {
      expect(
        detailsOf({
          code: '23503',
          constraint: 'fk_slots_mentor_id',
          detail: 'Key (mentor_id)=(x) is not present in table "users".',
        }),
      ).toEqual([{ field: 'mentorId', message: 'does not refer to an existing record' }]);
      expect(detailsOf({ code: '23502', column: 'full_name' })).toEqual([
        { field: 'fullName', message: 'is required' },
      ]);
    });

    it('falls back to the constraint name when no single input is to blame', () => {
      expect(
        detailsOf({
          code: '23503',
          constraint: 'fk_slots_mentor_id',
          detail: 'Key (id)=(x) is still referenced from table "slots".',
        }),
      ).toEqual([{ message: 'violates fk_slots_mentor_id' }]);
      expect(detailsOf({ code: '23514', constraint: 'ck_slots_ends_after_start' })).toEqual([
        { message: 'violates ck_slots_ends_after_start' },
      ]);
      expect(
        detailsOf({
          code: '23505',
          constraint: 'uq_users_lower_email',
          detail: 'Key (lower(email::text))=(secret@example.com) already exists.',
        }),
      ).toEqual([{ message: 'violates uq_users_lower_email' }]);
      expect(
        detailsOf({
          code: '23P01',
          constraint: 'ex_slots_no_overlap',
          detail: 'Key (mentor_id, tstzrange(starts_at, ends_at))=(…) conflicts with existing key',
        }),
      ).toEqual([{ message: 'violates ex_slots_no_overlap' }]);
    });

    it('has no details without a constraint, nor for malformed values', () => {
      expect(detailsOf({ code: '23514' })).toBeUndefined();
      expect(detailsOf({ code: '22P02', detail: 'Key (id)=(x)' })).toBeUndefined();
    });
  });

  it('asks for a retry on contention and leaves unknown codes to the 500 path', () => {
    expect(mapPostgresError({ code: '40001' })?.retryAfterSeconds).toBe(1);
    expect(mapPostgresError({ code: 'XX000' })).toBeNull();
  });
});

describe('mapUnavailableDependency', () => {
  /** A TCP server that accepts connections and never answers: Postgres stuck, from pg's side. */
  let silent: Server;
  const sockets = new Set<Socket>();
  let port: number;

  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.destroy());
    await new Promise((resolve) => silent.close(resolve));
  });

  async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
    return promise.then(
      () => {
        throw new Error('expected a rejection');
      },
      (error: unknown) => error,
    );
  }

  it("sheds pg-pool's acquire timeout and connect timeout as a 503 with Retry-After", async () => {
    const pool = new pg.Pool({ host: '127.0.0.1', port, max: 1, connectionTimeoutMillis: 100 });
    try {
      // The first checkout takes the only slot and hangs connecting; the second waits for a slot.
      const [connecting, waiting] = await Promise.all([
        rejectionOf(pool.connect()),
        rejectionOf(pool.connect()),
      ]);
      const shed = mapUnavailableDependency(waiting);
      expect(shed).toMatchObject({ status: 503, message: 'the server is busy, retry later' });
      expect(shed?.retryAfterSeconds).toBeGreaterThan(0);
      const unreachable = mapUnavailableDependency(connecting);
      expect(unreachable?.status).toBe(503);
      expect(unreachable?.retryAfterSeconds).toBeGreaterThan(0);
    } finally {
      await pool.end();
    }
  });

  it('answers 503 for a refused connection without repeating the host or port', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const client = new pg.Client({ host: '127.0.0.1', port: closedPort });
    const refused = await rejectionOf(client.connect());
    expect(String((refused as Error).message)).toContain(String(closedPort));
    const mapped = mapUnavailableDependency(refused);
    expect(mapped?.status).toBe(503);
    expect(JSON.stringify(mapped)).not.toContain(String(closedPort));
    expect(JSON.stringify(mapped)).not.toContain('127.0.0.1');
  });

  it('answers 503 for a session the server terminated, and for the client it leaves unusable, bare or wrapped by TypeORM', async () => {
    const url = process.env.TEST_SERVER_URL!;
    const [victim, admin] = [new pg.Client(url), new pg.Client(url)];
    victim.on('error', () => undefined);
    await Promise.all([victim.connect(), admin.connect()]);
    try {
      const { rows } = await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const running = rejectionOf(victim.query('SELECT pg_sleep(10)'));
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      const terminated = (await running) as { code?: string };
      expect(terminated.code).toBe('57P01');
      const unusable = await rejectionOf(victim.query('SELECT 1'));
      for (const error of [
        terminated,
        unusable,
        new QueryFailedError('SELECT 1', [], unusable as Error),
      ]) {
        expect(mapUnavailableDependency(error)).toMatchObject({
          status: 503,
          retryAfterSeconds: 5,
        });
      }
    } finally {
      await Promise.all([victim.end().catch(() => undefined), admin.end()]);
    }
  });

  it('answers 503 for a server that is starting, stopping or recovering, and for every attempt refused', () => {
    for (const code of ['57P03', '57P02', '08006', '08001']) {
      expect(
        mapUnavailableDependency({ message: 'the database system is shutting down', code })?.status,
      ).toBe(503);
    }
    const refusedTwice = new AggregateError(
      [Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })],
      '',
    );
    expect(mapUnavailableDependency(refusedTwice)?.status).toBe(503);
    // Seen under load when Postgres stopped mid-transaction: the COMMIT of a dead connection.
    expect(mapUnavailableDependency(new QueryRunnerAlreadyReleasedError())?.status).toBe(503);
    // ... and a query of a transaction whose session the server ended (pg_ctl stop -m fast).
    expect(mapUnavailableDependency(new QueryRunnerProviderAlreadyReleasedError())?.status).toBe(
      503,
    );
    expect(mapUnavailableDependency({ code: '53300' })).toMatchObject({
      status: 503,
      retryAfterSeconds: 1,
    });
  });

  it('leaves other errors alone', () => {
    expect(mapUnavailableDependency(new Error('boom'))).toBeNull();
    expect(mapUnavailableDependency('timeout exceeded when trying to connect')).toBeNull();
    expect(mapUnavailableDependency(undefined)).toBeNull();
    expect(
      mapUnavailableDependency(
        new QueryFailedError('SELECT 1', [], Object.assign(new Error('x'), { code: 'XX000' })),
      ),
    ).toBeNull();
  });
});
