import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { runPhases } from '@mas/testing/legacy-phases.js';
import { reportedDecisions } from '@mas/testing/legacy-staged-users.js';
import { userPhases } from './index.js';

const id = (n: number) => `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
// The merged account sorts first (batch 1 of 2-row batches), its survivor in batch 2.
const MERGED = id(1);
const SURVIVOR = id(3);
const NAMELESS_HEAD = id(2);
const BLANK_NAME = id(4);
const LONG_NAME = id(5);
const INTO_NATIVE = id(6);
const MISSING_HEAD = id(7);
const SUPERADMIN = id(8);
const NATIVE_ADMIN = 'aaaaaaaa-0000-0000-0000-000000000000';
const NO_SUCH_USER = 'ffffffff-0000-0000-0000-000000000000';
const BCRYPT = '$2a$10$abcdefghijklmnopqrstuu4bX0Nn5yLrDkHh8i6dCq2nQ4tWm9xGa';

const KOLKATA = { timezone: 'Asia/Kolkata', batchSize: 2 };

describe('legacy import: users phases', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    await database.sql(
      `INSERT INTO public.users (id, email, password_hash, full_name, role)
       VALUES ($1, 'admin@mas.test', 'scrypt$native', 'Native Admin', 'admin')`,
      [NATIVE_ADMIN],
    );
    const users: unknown[][] = [
      // id, email, fullName, role, stage, salesHeadId, isActive, createdAt
      [
        MERGED,
        'asha@x.io',
        'Asha (second account)',
        'student',
        'active',
        null,
        true,
        '2021-05-01 09:00',
      ],
      [SURVIVOR, 'Asha@X.io ', '  Asha Rao ', 'student', 'alumni', null, false, '2020-01-01 10:00'],
      [
        NAMELESS_HEAD,
        'head@x.io',
        null,
        'sales_head',
        'registered',
        null,
        true,
        '2020-01-02 10:00',
      ],
      [
        BLANK_NAME,
        'blank@x.io',
        '   ',
        'sales',
        'registered',
        NAMELESS_HEAD,
        true,
        '2020-01-03 10:00',
      ],
      [
        LONG_NAME,
        'long@x.io',
        'x'.repeat(200),
        'sales',
        'registered',
        BLANK_NAME,
        true,
        '2020-01-04 10:00',
      ],
      [
        INTO_NATIVE,
        'ADMIN@mas.test',
        'Old Admin',
        'admin',
        'registered',
        null,
        true,
        '2020-01-05 10:00',
      ],
      [
        MISSING_HEAD,
        'orphan@x.io',
        'Orphan',
        'sales',
        'registered',
        NO_SUCH_USER,
        true,
        '2020-01-06 10:00',
      ],
      [SUPERADMIN, 'root@x.io', 'Root', 'superadmin', 'active', null, true, '2020-01-07 10:00'],
    ];
    for (const [userId, email, fullName, role, stage, salesHeadId, isActive, createdAt] of users) {
      await database.sql(
        `INSERT INTO legacy_import.users
           (id, email, password, "fullName", role, stage, "salesHeadId", "isActive", "createdAt", "updatedAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
        [userId, email, BCRYPT, fullName, role, stage, salesHeadId, isActive, createdAt],
      );
    }
    await runPhases(database, userPhases, KOLKATA);
  });

  afterAll(() => database.drop());

  const userRow = async (userId: string) =>
    (
      await database.sql(
        `SELECT email::text, password_hash, full_name, role::text, stage::text, is_active,
                sales_head_id, created_at FROM public.users WHERE id = $1`,
        [userId],
      )
    ).rows[0];
  const mapOf = async (legacyId: string) =>
    (
      await database.sql('SELECT user_id FROM legacy_import.user_map WHERE legacy_id = $1', [
        legacyId,
      ])
    ).rows[0]?.user_id;
  const reasons = async (legacyId: string) =>
    (
      await database.sql(
        `SELECT outcome, reason FROM legacy_import.report_items
         WHERE table_name = 'users' AND legacy_id = $1 ORDER BY outcome, reason`,
        [legacyId],
      )
    ).rows.map((row) => `${row.outcome}: ${row.reason}`);

  it('merges emails that differ only in case into the earliest account, across batches', async () => {
    expect(await mapOf(MERGED)).toBe(SURVIVOR);
    expect(await mapOf(SURVIVOR)).toBe(SURVIVOR);
    expect(await userRow(MERGED)).toBeUndefined();
    const survivor = await userRow(SURVIVOR);
    expect(survivor).toMatchObject({
      email: 'asha@x.io',
      full_name: 'Asha Rao',
      stage: 'alumni',
      password_hash: BCRYPT,
      is_active: true,
    });
    expect(await reasons(MERGED)).toEqual([
      `merged: email differs only in case or spaces from ${SURVIVOR}, the earliest account; merged into it (its fields and password win)`,
    ]);
    expect(await reasons(SURVIVOR)).toEqual([
      'changed: email stored trimmed and in lower case',
      'changed: was inactive but an account merged into it was active; imported as active',
    ]);
  });

  it('reads legacy wall-clock timestamps in the legacy zone', async () => {
    expect((await userRow(SURVIVOR)).created_at.toISOString()).toBe('2020-01-01T04:30:00.000Z');
  });

  it('maps an email of an existing user of this database to that user, untouched', async () => {
    expect(await mapOf(INTO_NATIVE)).toBe(NATIVE_ADMIN);
    expect(await userRow(INTO_NATIVE)).toBeUndefined();
    expect(await userRow(NATIVE_ADMIN)).toMatchObject({
      full_name: 'Native Admin',
      password_hash: 'scrypt$native',
    });
    expect(await reasons(INTO_NATIVE)).toEqual([
      `merged: email already belongs to user ${NATIVE_ADMIN} of this database; merged into it (that user's fields and password win)`,
    ]);
  });

  it('turns superadmin into admin and fixes names the API would refuse', async () => {
    expect((await userRow(SUPERADMIN)).role).toBe('admin');
    expect(await reasons(SUPERADMIN)).toEqual(['changed: role superadmin became admin']);
    expect((await userRow(NAMELESS_HEAD)).full_name).toBe('Unnamed user');
    expect((await userRow(BLANK_NAME)).full_name).toBe('Unnamed user');
    expect(await reasons(BLANK_NAME)).toEqual([
      'changed: full name was empty; set to "Unnamed user"',
    ]);
    expect((await userRow(LONG_NAME)).full_name).toBe('x'.repeat(150));
  });

  it('links sales heads through user_map and reports the links it cannot keep', async () => {
    expect((await userRow(BLANK_NAME)).sales_head_id).toBe(NAMELESS_HEAD);
    expect((await userRow(LONG_NAME)).sales_head_id).toBeNull();
    expect(await reasons(LONG_NAME)).toEqual([
      'changed: full name longer than 150 characters; cut',
      `changed: sales head ${BLANK_NAME} is a sales, not a sales_head; imported without one`,
    ]);
    expect((await userRow(MISSING_HEAD)).sales_head_id).toBeNull();
    expect(await reasons(MISSING_HEAD)).toEqual([
      `changed: sales head ${NO_SUCH_USER} does not exist; imported without one`,
    ]);
  });

  it('changes nothing when run again', async () => {
    const snapshot = () =>
      Promise.all([
        database.sql('SELECT * FROM public.users ORDER BY id'),
        database.sql('SELECT * FROM legacy_import.user_map ORDER BY legacy_id'),
      ]).then(async (results) => [
        ...results.map((result) => result.rows),
        await reportedDecisions(database),
      ]);
    const before = await snapshot();
    expect(before[0]).toHaveLength(7);
    await runPhases(database, userPhases, KOLKATA);
    expect(await snapshot()).toEqual(before);
  });
});
