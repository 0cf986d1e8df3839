import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  fixtureId,
  reportedDecisions,
  reportItems,
  tableRows,
} from '@mas/testing/legacy-staged-users.js';
import { runPhases } from '@mas/testing/legacy-phases.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { batchesPhase } from './batches-phase.js';
import { collegesPhase } from './colleges-phase.js';
import { coursesPhase } from './courses-phase.js';

const college = (n: number) => fixtureId('c', n);
const course = (n: number) => fixtureId('d', n);
const batch = (n: number) => fixtureId('b', n);
const SEEDED_COLLEGE = fixtureId('e', 1);
const PHASES = [collegesPhase, coursesPhase, batchesPhase];

describe('legacy import: colleges, courses, batches', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    // A college already in the target, as seeded by db:seed.
    await database.sql(
      `INSERT INTO colleges (id, name, city, state) VALUES ($1, 'BITS', 'Pilani', 'Rajasthan')`,
      [SEEDED_COLLEGE],
    );
    await database.sql(
      `INSERT INTO legacy_import.colleges (id, name, city, state) VALUES
        ($1, 'IIT Delhi', 'Delhi', 'Delhi'),
        ($2, '  IIT Delhi ', 'Delhi', NULL),
        ($3, 'Anna University', NULL, ''),
        ($4, 'Anna University', '  ', 'Tamil Nadu'),
        ($5, 'BITS', 'Pilani', 'RJ')`,
      [college(1), college(2), college(3), college(4), college(5)],
    );
    // Course ids do not follow creation order, so batches meet the collisions out of order.
    await database.sql(
      `INSERT INTO legacy_import.courses (id, code, title, description, price, "createdAt") VALUES
        ($1, 'MAS-101', 'Analytics 101 (again)', NULL, 1000, '2020-02-01 10:00'),
        ($2, 'mas 101', 'Analytics 101', 'the first', 1000, '2020-01-01 10:00'),
        ($3, 'MAS_101', 'Analytics 101 (third)', NULL, 1000, '2020-03-01 10:00'),
        ($4, 'DS-2', 'Data science', NULL, -5, '2020-01-01 10:00'),
        ($5, 'x', '   ', NULL, 10, '2020-01-01 10:00'),
        ($6, 'MAS-101-2', 'Literally suffixed', NULL, 10, '2019-06-01 10:00')`,
      [course(1), course(2), course(3), course(4), course(5), course(6)],
    );
    await database.sql(
      `INSERT INTO legacy_import.batches (id, "courseId", name, "startDate", capacity, price, "createdAt") VALUES
        ($1, $4, ' January ', '2021-01-15', 0, 1000, '2020-12-01 09:30'),
        ($2, $5, 'Spring', '2021-03-01', 30, -1, '2020-12-01 09:30'),
        ($3, $6, 'Orphan', '2021-03-01', 30, 100, '2020-12-01 09:30')`,
      [batch(1), batch(2), batch(3), course(2), course(4), fixtureId('d', 99)],
    );
    // Two applications to the zero-capacity batch decide its capacity.
    await database.sql(
      `INSERT INTO legacy_import.applications (id, "userId", "batchId", status, "createdAt", "updatedAt")
       SELECT gen_random_uuid(), gen_random_uuid(), $1, 'submitted', now(), now() FROM generate_series(1, 2)`,
      [batch(1)],
    );
    await runPhases(database, PHASES, { timezone: 'Asia/Kolkata', batchSize: 2 });
  });

  afterAll(async () => {
    await database.drop();
  });

  it('trims colleges, fills a missing city or state, and merges duplicates of (name, city)', async () => {
    const { rows } = await database.sql(
      `SELECT id, name, city, state FROM colleges ORDER BY name, id`,
    );
    expect(rows).toEqual([
      { id: college(3), name: 'Anna University', city: 'Unknown', state: 'Unknown' },
      { id: SEEDED_COLLEGE, name: 'BITS', city: 'Pilani', state: 'Rajasthan' },
      { id: college(1), name: 'IIT Delhi', city: 'Delhi', state: 'Delhi' },
    ]);
    const stamps = await database.sql(
      `SELECT DISTINCT created_at, updated_at FROM colleges WHERE id <> $1`,
      [SEEDED_COLLEGE],
    );
    expect(stamps.rows).toEqual([
      {
        created_at: new Date('1970-01-01T00:00:00Z'),
        updated_at: new Date('1970-01-01T00:00:00Z'),
      },
    ]);
    const map = await database.sql(
      `SELECT legacy_id, college_id FROM legacy_import.college_map ORDER BY legacy_id`,
    );
    expect(map.rows).toEqual([
      { legacy_id: college(1), college_id: college(1) },
      { legacy_id: college(2), college_id: college(1) },
      { legacy_id: college(3), college_id: college(3) },
      { legacy_id: college(4), college_id: college(3) },
      { legacy_id: college(5), college_id: SEEDED_COLLEGE },
    ]);
    const report = await reportItems(database, 'colleges');
    expect(report.get(college(1))).toBeUndefined();
    expect(report.get(college(2))).toEqual([
      {
        outcome: 'merged',
        reason: `same name 'IIT Delhi' and city 'Delhi' as college ${college(1)}; merged into it`,
      },
    ]);
    expect(report.get(college(3))).toEqual([
      { outcome: 'changed', reason: `city NULL stored as 'Unknown'; state '' stored as 'Unknown'` },
    ]);
    expect(report.get(college(5))?.[0].reason).toContain(`college ${SEEDED_COLLEGE}`);
  });

  it('normalises course codes to the native rule, the earliest keeping the code, later ones suffixed', async () => {
    const { rows } = await database.sql(
      `SELECT id, code, title, price::text, created_at FROM courses ORDER BY created_at, id`,
    );
    const byId = new Map((rows as { id: string; created_at: Date }[]).map((row) => [row.id, row]));
    expect(byId.get(course(2))).toMatchObject({ code: 'MAS-101', title: 'Analytics 101' });
    expect(byId.get(course(1))).toMatchObject({ code: 'MAS-101-2' });
    expect(byId.get(course(3))).toMatchObject({ code: 'MAS-101-3' });
    // Its literal code was taken by the suffixed course(1), imported in an earlier batch.
    expect(byId.get(course(6))).toMatchObject({ code: 'MAS-101-2-2' });
    expect(byId.get(course(4))).toMatchObject({ code: 'DS-2', price: '0.00' });
    expect(byId.get(course(5))).toMatchObject({ code: 'COURSE-X', title: 'Untitled course' });
    for (const row of rows as { code: string }[])
      expect(row.code).toMatch(/^[A-Z0-9][A-Z0-9-]{1,29}$/);
    // Wall-clock 10:00 in Asia/Kolkata (+05:30).
    expect(byId.get(course(2))?.created_at.toISOString()).toBe('2020-01-01T04:30:00.000Z');
    const report = await reportItems(database, 'courses');
    expect(report.get(course(2))).toEqual([
      { outcome: 'changed', reason: `code 'mas 101' normalised to 'MAS-101'` },
    ]);
    expect(report.get(course(1))).toEqual([
      {
        outcome: 'changed',
        reason: `code 'MAS-101' normalises to 'MAS-101', which another course holds; stored as 'MAS-101-2'`,
      },
    ]);
    expect(report.get(course(4))).toEqual([
      { outcome: 'changed', reason: 'negative price -5.00 stored as 0.00' },
    ]);
    expect(report.get(course(5))?.[0].reason).toBe(
      `code 'x' normalised to 'COURSE-X'; title '   ' stored as 'Untitled course'`,
    );
  });

  it('gives a zero capacity the number of applications, clamps a negative price, skips a batch without course', async () => {
    const { rows } = await database.sql(
      `SELECT id, course_id, name, starts_on::text, capacity, price::text FROM batches ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        id: batch(1),
        course_id: course(2),
        name: 'January',
        starts_on: '2021-01-15',
        capacity: 2,
        price: '1000.00',
      },
      {
        id: batch(2),
        course_id: course(4),
        name: 'Spring',
        starts_on: '2021-03-01',
        capacity: 30,
        price: '0.00',
      },
    ]);
    const report = await reportItems(database, 'batches');
    expect(report.get(batch(1))).toEqual([
      {
        outcome: 'changed',
        reason: `name ' January ' stored as 'January'; capacity 0 stored as 2 (its number of legacy applications, at least 1)`,
      },
    ]);
    expect(report.get(batch(2))).toEqual([
      { outcome: 'changed', reason: 'negative price -1.00 stored as 0.00' },
    ]);
    expect(report.get(batch(3))).toEqual([
      { outcome: 'skipped', reason: `its course ${fixtureId('d', 99)} was not imported` },
    ]);
  });

  it('changes nothing when run again', async () => {
    const tables = ['colleges', 'courses', 'batches', 'legacy_import.college_map'];
    const snapshot = async () => [
      ...(await Promise.all(tables.map((table) => tableRows(database, table)))),
      await reportedDecisions(database),
    ];
    const before = await snapshot();
    await runPhases(database, PHASES, { timezone: 'Asia/Kolkata', batchSize: 3 });
    expect(await snapshot()).toEqual(before);
  });
});
