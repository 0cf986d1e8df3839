import { jest } from '@jest/globals';
import { ConflictError, NotFoundError, RuleViolationError } from '@mas/domain-errors';
import { FinanceModule } from '@mas/finance';
import { type User, UserRole } from '@mas/identity';
import { createFundedStudent } from '@mas/testing/lib-funds.js';
import { type LibModule, startLibModule } from '@mas/testing/lib-module.js';
import { createLibSlot } from '@mas/testing/lib-slots.js';
import { createLibUser, libIdentityModule } from '@mas/testing/lib-users.js';
import { ledgerViolations, slotLedgerViolations } from '@mas/testing/ledger.js';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { MentorshipModule } from '../mentorship.module.js';
import { BookingService } from './booking.service.js';

/** Bookings that start together share their read and their statement (slot-taker.ts). */
describe('BookingService: concurrent takings share statements (mentorship lib, on Postgres)', () => {
  let lib: LibModule;
  let booking: BookingService;
  let mentor: User;
  /** Every query BookingService sends, through the pool's EntityManager (the real one). */
  let sent: jest.SpiedFunction<EntityManager['query']>;

  const balanceOf = async (user: User) =>
    (await lib.database.sql('SELECT balance FROM token_wallets WHERE user_id = $1', [user.id]))
      .rows[0].balance as number;
  const count = (marker: string) => sent.mock.calls.filter(([sql]) => sql.includes(marker)).length;
  const READS = 'FROM slots WHERE id = ANY(';
  const TAKINGS = 'WITH taking AS';

  beforeAll(async () => {
    lib = await startLibModule([libIdentityModule(), FinanceModule, MentorshipModule]);
    booking = lib.context.get(BookingService);
    mentor = await createLibUser(lib.context, UserRole.Expert);
    sent = jest.spyOn(lib.context.get(DataSource).manager, 'query');
  });

  afterEach(async () => {
    expect(await ledgerViolations(lib.database)).toEqual([]);
    expect(await slotLedgerViolations(lib.database)).toEqual([]);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await lib?.close();
  });

  it('gives each of 12 bookings started together its own outcome, from one read and two statements', async () => {
    const slots = await Promise.all(
      Array.from({ length: 9 }, () => createLibSlot(lib.context, mentor, 2)),
    );
    const funded = await Promise.all(slots.map(() => createFundedStudent(lib.context, 2)));
    const broke = await createFundedStudent(lib.context, 1);
    const rival = await createFundedStudent(lib.context, 2);
    const brokesSlot = await createLibSlot(lib.context, mentor, 2);
    sent.mockClear();

    const outcomes = await Promise.allSettled([
      ...slots.map((slot, n) => booking.book(slot.id, funded[n])),
      booking.book(slots[0].id, rival),
      booking.book(brokesSlot.id, broke),
      booking.book(randomUUID(), rival),
    ]);

    const [taken, rivalOutcome, short, missing] = [
      outcomes.slice(1, 9),
      outcomes[9],
      outcomes[10],
      outcomes[11],
    ];
    expect(taken.map((outcome) => outcome.status)).toEqual(Array(8).fill('fulfilled'));
    // Slot 0 went to exactly one of the two who asked for it; the other was told it is taken.
    const contest = [outcomes[0], rivalOutcome];
    expect(contest.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const loser = contest.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toEqual(new ConflictError('slot is confirmed; cannot book'));
    expect(short).toEqual({
      status: 'rejected',
      reason: new RuleViolationError('not enough tokens: balance 1, needed 2'),
    });
    expect(missing).toEqual({ status: 'rejected', reason: new NotFoundError('slot not found') });
    // One read for all twelve; the two takings of slot 0 cannot share a statement: two of them.
    expect(count(READS)).toBe(1);
    expect(count(TAKINGS)).toBe(2);
    expect(await balanceOf(broke)).toBe(1);
    const winner = outcomes[0].status === 'fulfilled' ? funded[0] : rival;
    const other = winner === rival ? funded[0] : rival;
    expect(await balanceOf(winner)).toBe(0);
    expect(await balanceOf(other)).toBe(2);
    for (const student of funded.slice(1)) expect(await balanceOf(student)).toBe(0);
    const notified = await lib.database.sql(
      `SELECT count(*)::int AS n FROM outbox_messages
        WHERE payload->'data'->>'slotId' = ANY($1::text[]) OR payload->'data'->>'slotId' = $2`,
      [slots.map((slot) => slot.id), brokesSlot.id],
    );
    // Realtime and email for each of the nine bookings, nothing for the refused ones.
    expect(notified.rows[0].n).toBe(18);
  });

  it('one student taking four slots at once pays for each in turn, and is refused once the balance runs out', async () => {
    const student = await createFundedStudent(lib.context, 6);
    const slots = await Promise.all(
      Array.from({ length: 4 }, () => createLibSlot(lib.context, mentor, 2)),
    );
    sent.mockClear();

    const outcomes = await Promise.allSettled(slots.map((slot) => booking.book(slot.id, student)));

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(3);
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(refused).toEqual([
      {
        status: 'rejected',
        reason: new RuleViolationError('not enough tokens: balance 0, needed 2'),
      },
    ]);
    expect(await balanceOf(student)).toBe(0);
    // A wallet changes once per statement: one statement per slot.
    expect(count(TAKINGS)).toBe(4);
  });

  it('a data error in one taking fails that taking only; the others of its statement are taken', async () => {
    const slots = await Promise.all(
      Array.from({ length: 4 }, () => createLibSlot(lib.context, mentor, 2)),
    );
    const students = await Promise.all(slots.map(() => createFundedStudent(lib.context, 2)));
    const [broken] = slots;
    await lib.database.sql(`
      CREATE FUNCTION test_refuse_slot() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE check_violation USING MESSAGE = 'test: this slot refuses every update';
      END $$;
      CREATE TRIGGER test_refuse_slot BEFORE UPDATE ON slots
        FOR EACH ROW WHEN (OLD.id = '${broken.id}') EXECUTE FUNCTION test_refuse_slot();`);
    try {
      sent.mockClear();
      const outcomes = await Promise.allSettled(
        slots.map((slot, n) => booking.book(slot.id, students[n])),
      );
      expect(outcomes[0]).toMatchObject({ status: 'rejected' });
      expect((outcomes[0] as PromiseRejectedResult).reason.message).toContain(
        'this slot refuses every update',
      );
      expect(outcomes.slice(1).map((outcome) => outcome.status)).toEqual(
        Array(3).fill('fulfilled'),
      );
      // The shared statement failed, then each taking ran alone.
      expect(count(TAKINGS)).toBe(5);
      expect(await balanceOf(students[0])).toBe(2);
    } finally {
      await lib.database.sql(
        'DROP TRIGGER test_refuse_slot ON slots; DROP FUNCTION test_refuse_slot()',
      );
    }
  });

  it('a burst of 120 bookings becomes three statements of at most 50 takings', async () => {
    const slots = await Promise.all(
      Array.from({ length: 120 }, () => createLibSlot(lib.context, mentor, 1)),
    );
    const students: User[] = [];
    // One at a time: more at once would overflow the password hasher's queue (a 503 by design).
    while (students.length < slots.length) students.push(await createFundedStudent(lib.context, 1));
    sent.mockClear();

    const outcomes = await Promise.allSettled(
      slots.map((slot, n) => booking.book(slot.id, students[n])),
    );

    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    expect(count(READS)).toBe(1);
    expect(count(TAKINGS)).toBe(3);
  });

  it('concurrent statements over crossing students never deadlock: 96 bookings by 12 students, 8 statements', async () => {
    const students = await Promise.all(
      Array.from({ length: 12 }, () => createFundedStudent(lib.context, 16)),
    );
    const slots = await Promise.all(
      Array.from({ length: 96 }, () => createLibSlot(lib.context, mentor, 2)),
    );
    sent.mockClear();

    // Eight statements of twelve takings run side by side, each changing the same twelve wallets,
    // every other one naming the students in the opposite order.
    const studentOf = (n: number) => (Math.floor(n / 12) % 2 ? 11 - (n % 12) : n % 12);
    const outcomes = await Promise.allSettled(
      slots.map((slot, n) => booking.book(slot.id, students[studentOf(n)])),
    );

    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    // A deadlock would abort a statement and retry it: more than eight.
    expect(count(TAKINGS)).toBe(8);
    for (const student of students) expect(await balanceOf(student)).toBe(0);
  });
});
