import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { runPhases } from '@mas/testing/legacy-phases.js';
import { reportedDecisions } from '@mas/testing/legacy-staged-users.js';
import { mentorshipPhases } from './index.js';

const uuid = (prefix: string, n: number) =>
  `${prefix.padEnd(8, '0')}-0000-0000-0000-${String(n).padStart(12, '0')}`;
// Users of the target database, and the legacy ids that map to them (B2 was merged into B).
const A = uuid('a', 1);
const B = uuid('b', 1);
const B2 = uuid('b', 2);
const C = uuid('c', 1);
const D = uuid('d', 1);
const NATIVE = uuid('e', 1);
const STUDENT = uuid('f', 1);
const GONE = uuid('9', 9);
const mentor = (n: number) => uuid('1', n);
const slot = (n: number) => uuid('2', n);
const NATIVE_PROFILE = uuid('3', 1);
const NATIVE_SLOT = uuid('3', 2);

const at = (time: string) => `2024-03-01 ${time}`;

describe('legacy import: mentorship phases', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    for (const userId of [A, B, C, D, NATIVE, STUDENT]) {
      await database.sql(
        `INSERT INTO public.users (id, email, password_hash, full_name, role)
         VALUES ($1::uuid, $1::text || '@x.io', 'scrypt$x', 'U', 'expert')`,
        [userId],
      );
    }
    for (const [legacyId, userId] of [
      [A, A],
      [B, B],
      [B2, B],
      [C, C],
      [D, D],
      [NATIVE, NATIVE],
      [STUDENT, STUDENT],
    ]) {
      await database.sql('INSERT INTO legacy_import.user_map VALUES ($1, $2)', [legacyId, userId]);
    }
    await database.sql(
      `INSERT INTO public.mentor_profiles (id, user_id, headline) VALUES ($1, $2, 'Native')`,
      [NATIVE_PROFILE, NATIVE],
    );
    await database.sql(
      `INSERT INTO public.slots (id, mentor_id, starts_at, ends_at, price_tokens)
       VALUES ($1, $2, '2024-03-01 10:00Z', '2024-03-01 11:00Z', 3)`,
      [NATIVE_SLOT, NATIVE],
    );
    const mentors: unknown[][] = [
      // id, userId, headline, expertise, createdAt
      [mentor(1), A, '  Data coach ', 'sql,ml, data science,, ', '2020-01-01'],
      [mentor(2), B2, 'Merged account', 'x', '2019-01-01'], // batch 1, loses to mentor(3)
      [mentor(3), B, 'Survivor', null, '2020-01-01'],
      [mentor(4), C, null, '', '2020-01-01'],
      [mentor(5), D, 'h'.repeat(250), 'ai', '2020-01-01'],
      [mentor(6), GONE, 'Nobody', null, '2020-01-01'],
      [mentor(7), NATIVE, 'Legacy profile', null, '2020-01-01'],
    ];
    for (const [id, userId, headline, expertise, createdAt] of mentors) {
      await database.sql(
        `INSERT INTO legacy_import.mentors (id, "userId", headline, expertise, bio, "createdAt", "updatedAt")
         VALUES ($1, $2, $3, $4, 'bio', $5, $5)`,
        [id, userId, headline, expertise, createdAt],
      );
    }
    const slots: unknown[][] = [
      // n, mentorId, studentId, start, end, status, tokenCost, createdAt
      [1, A, null, '10:00', '11:00', 'tentative', 2, '2020-01-01'],
      [2, A, B2, '10:30', '11:30', 'confirmed', 2, '2021-01-01'],
      [3, A, null, '12:00', '13:00', 'tentative', 2, '2020-01-01'],
      [4, A, null, '12:30', '13:30', 'tentative', 2, '2021-01-01'],
      [5, A, STUDENT, '14:00', '15:00', 'confirmed', 2, '2022-01-01'],
      [6, A, null, '14:30', '15:30', 'tentative', 2, '2020-01-01'],
      [7, A, null, '15:15', '16:00', 'tentative', 2, '2021-01-01'],
      [8, A, null, '18:00', '17:00', 'tentative', 2, '2020-01-01'],
      [9, A, null, '20:00', '20:00', 'tentative', 2, '2020-01-01'],
      [10, C, null, '10:00', '11:00', 'tentative', 0, '2020-01-01'],
      [11, A, null, '10:45', '11:15', 'cancelled', 2, '2019-01-01'],
      [12, B, null, '09:00', '10:00', 'tentative', 2, '2020-01-01'],
      [13, B2, STUDENT, '09:30', '10:30', 'completed', 2, '2021-01-01'],
      [14, GONE, null, '09:00', '10:00', 'tentative', 2, '2020-01-01'],
      [15, D, GONE, '09:00', '10:00', 'confirmed', 2, '2020-01-01'],
      [16, D, null, '12:00', '13:00', 'tentative', 2, '2021-01-01'],
      [17, D, null, '12:30', '13:30', 'tentative', 2, '2020-01-01'],
      [18, NATIVE, STUDENT, '10:30', '11:30', 'confirmed', 2, '2020-01-01'],
    ];
    for (const [n, mentorId, studentId, start, end, status, tokenCost, createdAt] of slots) {
      await database.sql(
        `INSERT INTO legacy_import.slots (id, "mentorId", "studentId", "startTime", "endTime", status,
           "tokenCost", "isAvailable", "earningsCredited", "createdAt", "updatedAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, true, false, $8, $8)`,
        [
          slot(n as number),
          mentorId,
          studentId,
          at(start as string),
          at(end as string),
          status,
          tokenCost,
          createdAt,
        ],
      );
    }
    // Slot 16 carries money only through the ledger.
    await database.sql(
      `INSERT INTO legacy_import.token_usage (id, "userId", "slotId", "usageType", "tokensUsed",
         "balanceBefore", "balanceAfter", "createdAt")
       VALUES (gen_random_uuid(), $1, $2, 'meeting_booking', 2, 10, 8, '2021-01-01')`,
      [STUDENT, slot(16)],
    );
    await runPhases(database, mentorshipPhases);
  });

  afterAll(() => database.drop());

  const reasons = async (table: string, legacyId: string) =>
    (
      await database.sql(
        `SELECT outcome, reason FROM legacy_import.report_items
         WHERE table_name = $1 AND legacy_id = $2 ORDER BY outcome, reason`,
        [table, legacyId],
      )
    ).rows.map((row) => `${row.outcome}: ${row.reason}`);
  const profile = async (id: string) =>
    (await database.sql('SELECT * FROM public.mentor_profiles WHERE id = $1', [id])).rows[0];
  const slotRow = async (n: number) =>
    (
      await database.sql(
        `SELECT mentor_id, student_id, status::text, price_tokens,
                to_char(starts_at AT TIME ZONE 'UTC', 'HH24:MI') || '-' ||
                to_char(ends_at AT TIME ZONE 'UTC', 'HH24:MI') AS time
         FROM public.slots WHERE id = $1`,
        [slot(n)],
      )
    ).rows[0];

  describe('mentors', () => {
    it('cleans headline and expertise', async () => {
      expect(await profile(mentor(1))).toMatchObject({
        user_id: A,
        headline: 'Data coach',
        expertise: ['sql', 'ml', 'data science'],
        bio: 'bio',
      });
      expect(await reasons('mentors', mentor(1))).toEqual([
        'changed: empty expertise entries dropped',
      ]);
      expect(await profile(mentor(4))).toMatchObject({ headline: 'Mentor', expertise: [] });
      expect(await reasons('mentors', mentor(4))).toEqual([
        'changed: headline was empty; set to "Mentor"',
      ]);
      expect((await profile(mentor(5))).headline).toBe('h'.repeat(200));
    });

    it("keeps the survivor's own profile when merged accounts both had one", async () => {
      expect(await profile(mentor(3))).toMatchObject({ user_id: B, headline: 'Survivor' });
      expect(await profile(mentor(2))).toBeUndefined();
      expect(await reasons('mentors', mentor(2))).toEqual([
        `merged: user ${B} (after merging accounts) already has mentor profile ${mentor(3)}; kept that one`,
      ]);
    });

    it('keeps a profile the user already had here, and skips one without a user', async () => {
      expect(await profile(mentor(7))).toBeUndefined();
      expect((await profile(NATIVE_PROFILE)).headline).toBe('Native');
      expect(await reasons('mentors', mentor(7))).toEqual([
        `merged: user ${NATIVE} already had mentor profile ${NATIVE_PROFILE} in this database; kept that one`,
      ]);
      expect(await profile(mentor(6))).toBeUndefined();
      expect(await reasons('mentors', mentor(6))).toEqual([
        `skipped: its user ${GONE} does not exist; not imported`,
      ]);
    });
  });

  describe('slots', () => {
    it('keeps the overlapping slot that carries a booking and cancels the other', async () => {
      expect(await slotRow(2)).toMatchObject({
        status: 'confirmed',
        student_id: B,
        time: '10:30-11:30',
      });
      expect(await slotRow(1)).toMatchObject({ status: 'cancelled', time: '10:00-11:00' });
      expect(await reasons('slots', slot(1))).toEqual([
        `changed: overlaps slot ${slot(2)} of the same mentor, which carries a booking or tokens; stored as cancelled`,
      ]);
      expect(await slotRow(11)).toMatchObject({ status: 'cancelled' });
      expect(await reasons('slots', slot(11))).toEqual([]);
    });

    it('keeps the earlier of two unbooked overlapping slots', async () => {
      expect((await slotRow(3)).status).toBe('tentative');
      expect((await slotRow(4)).status).toBe('cancelled');
      expect(await reasons('slots', slot(4))).toEqual([
        `changed: overlaps slot ${slot(3)} of the same mentor, which was created earlier; stored as cancelled`,
      ]);
    });

    it('cancels only what overlaps a kept slot (a chain keeps its far end)', async () => {
      expect((await slotRow(5)).status).toBe('confirmed');
      expect((await slotRow(6)).status).toBe('cancelled');
      expect((await slotRow(7)).status).toBe('tentative');
    });

    it('treats a ledger row as money the slot carries', async () => {
      expect((await slotRow(16)).status).toBe('tentative');
      expect((await slotRow(17)).status).toBe('cancelled');
    });

    it('decides overlaps across merged mentor accounts', async () => {
      expect(await slotRow(13)).toMatchObject({ mentor_id: B, status: 'completed' });
      expect(await slotRow(12)).toMatchObject({ mentor_id: B, status: 'cancelled' });
    });

    it('never displaces a slot already in this database; a booked loser keeps its booking', async () => {
      expect(await slotRow(18)).toMatchObject({ status: 'cancelled', student_id: STUDENT });
      expect(await reasons('slots', slot(18))).toEqual([
        `changed: overlaps slot ${NATIVE_SLOT} of the same mentor, which was already in this database; stored as cancelled (its student, price and ledger rows are kept)`,
      ]);
    });

    it('fixes reversed and empty times and non-positive prices', async () => {
      expect((await slotRow(8)).time).toBe('17:00-18:00');
      expect(await reasons('slots', slot(8))).toEqual([
        'changed: ended before it started; start and end swapped',
      ]);
      expect((await slotRow(9)).time).toBe('20:00-21:00');
      expect(await reasons('slots', slot(9))).toEqual([
        'changed: ended when it started; given a length of 1 hour',
      ]);
      expect((await slotRow(10)).price_tokens).toBe(1);
      expect(await reasons('slots', slot(10))).toEqual([
        'changed: tokenCost 0 is not a valid price (must be > 0); set to 1',
      ]);
    });

    it('skips a slot without a mentor and drops a missing student', async () => {
      expect(await slotRow(14)).toBeUndefined();
      expect(await reasons('slots', slot(14))).toEqual([
        `skipped: its mentor ${GONE} does not exist; not imported`,
      ]);
      expect(await slotRow(15)).toMatchObject({ student_id: null, status: 'confirmed' });
      expect(await reasons('slots', slot(15))).toEqual([
        `changed: its student ${GONE} does not exist; imported without one`,
      ]);
    });
  });

  it('changes nothing when run again', async () => {
    const snapshot = () =>
      Promise.all([
        database.sql('SELECT * FROM public.mentor_profiles ORDER BY id'),
        database.sql('SELECT * FROM public.slots ORDER BY id'),
      ]).then(async (results) => [
        ...results.map((result) => result.rows),
        await reportedDecisions(database),
      ]);
    const before = await snapshot();
    expect(before[1]).toHaveLength(18);
    await runPhases(database, mentorshipPhases);
    expect(await snapshot()).toEqual(before);
  });
});
