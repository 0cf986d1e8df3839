import { readFile } from 'node:fs/promises';
import bcrypt from 'bcryptjs';
import { createTestDatabase, type TestDatabase } from './test-database.js';

const SCHEMA = new URL('../../libs/legacy/sql/legacy-schema.sql', import.meta.url);

/** The password of the fixture's bcrypt users (Ann and her case-twin, Boss). */
export const LEGACY_PASSWORD = 'legacy-Passw0rd';

/** Readable fixed ids: `legacyId('a1')` → 00000000-0000-4000-8000-0000000000a1. */
export const legacyId = (suffix: string) => `00000000-0000-4000-8000-${suffix.padStart(12, '0')}`;

export const LEGACY = {
  ann: legacyId('a1'), // Ann@Example.com, the earliest account of her email
  annTwin: legacyId('a2'), // ann@example.com, merged into Ann
  boss: legacyId('a3'), // superadmin, blank name
  mentor: legacyId('a4'), // expert, no name, simple-array expertise
  salesHead: legacyId('a5'),
  sales: legacyId('a6'),
  negative: legacyId('a7'), // balance below zero
  deletedSlot: legacyId('dead'), // a ledger row points at it; the slot is gone
};

export interface LegacyFixtureSize {
  /** Extra users with a token row and a ledger, to make the import long enough to kill. */
  bulkUsers: number;
  /** Ledger rows spread over the bulk users. */
  bulkLedgerRows: number;
}

/**
 * A legacy database made from libs/legacy/sql/legacy-schema.sql on the test server, filled with
 * a dirty fixture: each inconsistency the old schema allowed (issue 13, items 4–6), plus bulk rows.
 */
export async function createLegacyDatabase(
  size: LegacyFixtureSize = { bulkUsers: 40, bulkLedgerRows: 4_000 },
): Promise<TestDatabase> {
  const database = await createTestDatabase({ migrated: false });
  await database.sql(await readFile(SCHEMA, 'utf8'));
  await fillDirtyFixture(database, size);
  return database;
}

async function fillDirtyFixture(db: TestDatabase, size: LegacyFixtureSize): Promise<void> {
  const hash = bcrypt.hashSync(LEGACY_PASSWORD, 10);
  const other = bcrypt.hashSync('another-password', 4);
  const L = LEGACY;
  await db.sql(
    `INSERT INTO users (id, email, password, "fullName", role, stage, "salesHeadId", "isActive", "createdAt", "updatedAt") VALUES
      ($1, 'Ann@Example.com', $8, ' Ann Lee ', 'student', 'active', NULL, true, '2022-01-01 09:00', '2022-01-02 09:00'),
      ($2, 'ann@example.com', $9, 'Ann (second account)', 'student', 'registered', NULL, true, '2022-06-01 09:00', '2022-06-01 09:00'),
      ($3, 'boss@example.com', $8, '   ', 'superadmin', 'active', NULL, true, '2021-01-01 00:00', '2021-01-01 00:00'),
      ($4, 'mentor@example.com', $9, NULL, 'expert', 'active', NULL, true, '2021-02-01 08:30', '2021-02-01 08:30'),
      ($5, 'head@example.com', $9, 'Sales Head', 'sales_head', 'active', NULL, true, '2021-03-01 00:00', '2021-03-01 00:00'),
      ($6, 'sales@example.com', $9, 'Sales Rep', 'sales', 'active', $5, true, '2021-03-02 00:00', '2021-03-02 00:00'),
      ($7, 'NEG@example.com', $9, 'Neg Balance', 'student', 'alumni', NULL, false, '2021-04-01 00:00', '2021-04-01 00:00')`,
    [L.ann, L.annTwin, L.boss, L.mentor, L.salesHead, L.sales, L.negative, hash, other],
  );
  await db.sql(
    `INSERT INTO tokens (id, "userId", balance, "createdAt", "updatedAt") VALUES
      ($1, $6, 100, '2022-01-01 09:00', '2022-03-01 00:00'),  -- rows add up to 90: one adjustment
      ($2, $7, 20, '2022-06-01 09:00', '2022-06-01 09:00'),   -- merged into Ann's wallet
      ($3, $8, 0, '2021-02-01 08:30', '2021-02-01 08:30'),
      ($4, $9, -5, '2021-04-01 00:00', '2021-05-01 00:00'),  -- negative: ends at 0, reported
      ($5, $10, 0, '2021-03-02 00:00', '2021-03-02 00:00')`,
    [
      legacyId('b1'),
      legacyId('b2'),
      legacyId('b4'),
      legacyId('b7'),
      legacyId('b6'),
      L.ann,
      L.annTwin,
      L.mentor,
      L.negative,
      L.sales,
    ],
  );
  await db.sql(
    `INSERT INTO mentors (id, "userId", headline, expertise, bio, "createdAt", "updatedAt") VALUES
      ($1, $2, NULL, 'sql,ml, data science,, ', 'Mentor bio', '2021-02-01 08:30', '2021-02-01 08:30')`,
    [legacyId('c4'), L.mentor],
  );
  await db.sql(
    `INSERT INTO slots (id, "mentorId", "studentId", "startTime", "endTime", status, "tokenCost", "isAvailable", "earningsCredited", "createdAt", "updatedAt") VALUES
      ($1, $5, $6, '2022-02-01 10:00', '2022-02-01 11:00', 'confirmed', 10, false, false, '2022-01-20 00:00', '2022-01-20 00:00'),
      ($2, $5, NULL, '2022-02-01 10:30', '2022-02-01 11:30', 'tentative', 10, true, false, '2022-01-21 00:00', '2022-01-21 00:00'),
      ($3, $5, NULL, '2022-02-02 12:00', '2022-02-02 11:00', 'tentative', 10, true, false, '2022-01-22 00:00', '2022-01-22 00:00'),
      ($4, $5, $7, '2022-07-01 10:00', '2022-07-01 11:00', 'completed', 5, false, true, '2022-06-02 00:00', '2022-06-02 00:00')`,
    [legacyId('d1'), legacyId('d2'), legacyId('d3'), legacyId('d4'), L.mentor, L.ann, L.annTwin],
  );
  await db.sql(
    `INSERT INTO token_usage (id, "userId", "slotId", "usageType", "tokensUsed", "balanceBefore", "balanceAfter", description, "createdAt") VALUES
      ($1, $10, NULL, 'allotment', -100, 0, 100, 'welcome', '2022-01-01 09:05'),
      ($2, $10, $14, 'meeting_booking', 10, 100, 90, 'booking', '2022-01-25 10:00'),
      ($3, $10, NULL, 'bonus', -5, 90, 95, 'bonus', '2022-01-26 10:00'),
      ($4, $10, NULL, 'adjustment', 0, 95, 95, 'zero row', '2022-01-27 10:00'),
      ($5, $10, $13, 'meeting_booking', 5, 95, 999, 'slot deleted later, wrong balanceAfter', '2022-01-28 10:00'),
      ($6, $11, NULL, 'allotment', -20, 0, 20, 'second account', '2022-06-01 09:05'),
      ($7, $11, $15, 'meeting_booking', 5, 20, 15, 'booked with second account', '2022-06-02 09:05'),
      ($8, $11, $15, 'refund', -5, 15, 20, 'refund', '2022-06-03 09:05'),
      ($9, $12, NULL, 'penalty', 5, 0, -5, 'no-show', '2021-05-01 00:00')`,
    [
      legacyId('e1'),
      legacyId('e2'),
      legacyId('e3'),
      legacyId('e4'),
      legacyId('e5'),
      legacyId('e6'),
      legacyId('e7'),
      legacyId('e8'),
      legacyId('e9'),
      L.ann,
      L.annTwin,
      L.negative,
      L.deletedSlot,
      legacyId('d1'),
      legacyId('d4'),
    ],
  );
  await db.sql(
    `INSERT INTO colleges (id, name, city, state) VALUES
      ($1, 'MAS College', NULL, NULL), ($2, 'MAS College', NULL, NULL), ($3, 'Other College', 'Pune', 'MH')`,
    [legacyId('f1'), legacyId('f2'), legacyId('f3')],
  );
  await db.sql(
    `INSERT INTO courses (id, code, title, description, price, "createdAt") VALUES
      ($1, 'mas 101', 'MAS 101', NULL, 1000.50, '2021-01-01 00:00'),
      ($2, 'MAS-101', 'MAS 101 again', NULL, 900, '2021-06-01 00:00'),
      ($3, 'DS-2', 'Data Science 2', 'desc', 500, '2021-07-01 00:00')`,
    [legacyId('101'), legacyId('102'), legacyId('103')],
  );
  await db.sql(
    `INSERT INTO batches (id, "courseId", name, "startDate", capacity, price, "createdAt") VALUES
      ($1, $3, 'Batch A', '2022-03-01', 30, 1000.50, '2021-12-01 00:00'),
      ($2, $4, 'Batch Z', '2022-04-01', 0, 500, '2021-12-02 00:00')`,
    [legacyId('201'), legacyId('202'), legacyId('101'), legacyId('103')],
  );
  await db.sql(
    `INSERT INTO applications (id, "userId", "batchId", "collegeId", status, "finalAmount", "extraData", "createdAt", "updatedAt") VALUES
      ($1, $5, $7, $9, 'accepted', NULL, '{"note":"first"}', '2022-01-10 00:00', '2022-01-11 00:00'),
      ($2, $6, $7, $10, 'submitted', 900, NULL, '2022-06-05 00:00', '2022-06-05 00:00'),
      ($3, $11, $8, NULL, 'submitted', 500, NULL, '2022-02-01 00:00', '2022-02-01 00:00'),
      ($4, $11, $8, NULL, 'withdrawn', 500, NULL, '2022-02-02 00:00', '2022-02-02 00:00')`,
    [
      legacyId('301'),
      legacyId('302'),
      legacyId('303'),
      legacyId('304'),
      L.ann,
      L.annTwin,
      legacyId('201'),
      legacyId('202'),
      legacyId('f1'),
      legacyId('f2'),
      L.negative,
    ],
  );
  await db.sql(
    `INSERT INTO discount_requests (id, "applicationId", "batchId", "requestedById", "reviewedById", "requestedPrice", "approvedPrice", status, note, "createdAt", "updatedAt") VALUES
      ($1, $4, $5, $6, NULL, 800, NULL, 'pending', 'first ask', '2022-01-12 00:00', '2022-01-12 00:00'),
      ($2, $4, $5, NULL, NULL, 700, NULL, 'pending', 'second ask', '2022-01-13 00:00', '2022-01-13 00:00'),
      ($3, $4, $5, $6, $7, 850, 850, 'approved', 'old one', '2022-01-11 00:00', '2022-01-12 00:00')`,
    [
      legacyId('401'),
      legacyId('402'),
      legacyId('403'),
      legacyId('301'),
      legacyId('201'),
      L.ann,
      L.salesHead,
    ],
  );
  await db.sql(
    `INSERT INTO mas101_pap_workflows (id, "applicationId", status, "createdAt", "updatedAt") VALUES
      ($1, $3, 'in_training', '2022-01-15 00:00', '2022-02-15 00:00'),
      ($2, $4, 'initiated', '2022-06-06 00:00', '2022-06-06 00:00')`,
    [legacyId('501'), legacyId('502'), legacyId('301'), legacyId('302')],
  );
  await db.sql(
    `INSERT INTO mas_crm.leads (id, "fullName", email, phone, source, status, platform, "ownerId", "userId", "createdAt", "updatedAt") VALUES
      ($1, ' Lead One ', 'Lead@x.io', '+1 555 0101', 'website', 'ACTIVE', 'x-platform: web', $5, NULL, '2022-01-01 00:00', '2022-01-01 00:00'),
      ($2, 'Lead One Again', 'lead@x.io', NULL, 'website', 'CONTACTED', ' Web ', $5, NULL, '2022-01-02 00:00', '2022-01-02 00:00'),
      ($3, NULL, 'ann@example.com', NULL, 'my-analytics-school', 'QUALIFIED', 'android', NULL, $6, '2022-06-01 09:00', '2022-06-01 09:00'),
      ($4, 'Lost Lead', NULL, '+1 555 0104', 'fair', 'LOST', NULL, NULL, NULL, '2022-01-03 00:00', '2022-01-03 00:00')`,
    [legacyId('601'), legacyId('602'), legacyId('603'), legacyId('604'), L.sales, L.annTwin],
  );
  await fillBulk(db, size);
}

/** Users with a balance and a consistent ledger, generated in SQL (ids from md5, so stable). */
async function fillBulk(db: TestDatabase, { bulkUsers, bulkLedgerRows }: LegacyFixtureSize) {
  await db.sql(
    `INSERT INTO users (id, email, password, "fullName", role, "createdAt", "updatedAt")
     SELECT md5('bulk-user-' || g)::uuid, 'bulk' || g || '@example.com', $2, 'Bulk ' || g, 'student',
            timestamp '2023-01-01' + g * interval '1 minute', timestamp '2023-01-01'
       FROM generate_series(1, $1::int) g`,
    [bulkUsers, '$2a$10$abcdefghijklmnopqrstuuJpC2O0rKjFkWlF2VZ1pk3C3M8QvGxy6'],
  );
  await db.sql(
    `INSERT INTO token_usage (id, "userId", "usageType", "tokensUsed", "balanceBefore", "balanceAfter", "createdAt")
     SELECT md5('bulk-usage-' || g)::uuid, md5('bulk-user-' || (g % $2 + 1))::uuid, 'allotment', -1,
            g / $2, g / $2 + 1, timestamp '2023-02-01' + g * interval '1 second'
       FROM generate_series(0, $1::int - 1) g`,
    [bulkLedgerRows, bulkUsers],
  );
  await db.sql(
    `INSERT INTO tokens (id, "userId", balance)
     SELECT md5('bulk-token-' || g)::uuid, md5('bulk-user-' || g)::uuid,
            (SELECT count(*) FROM token_usage u WHERE u."userId" = md5('bulk-user-' || g)::uuid)
       FROM generate_series(1, $1::int) g`,
    [bulkUsers],
  );
}
