import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  fixtureId,
  reportItems,
  stageImportedUsers,
  tableRows,
  reportedDecisions,
} from '@mas/testing/legacy-staged-users.js';
import { runPhases } from '@mas/testing/legacy-phases.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { crmPhases } from './index.js';

const user = (n: number) => fixtureId('a', n);
const lead = (n: number) => fixtureId('1', n);
/** user(2) was merged into user(1); user(9) was never imported. */
const MERGED_USER = user(2);
const UNKNOWN_USER = user(9);
const OWNER = user(5);
const NATIVE_LEAD = fixtureId('2', 1);
const LONG_PHONE = '+91 ' + '9'.repeat(46);
const LONG_NAME = 'N'.repeat(250);

describe('legacy import: leads', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    await stageImportedUsers(database, [user(1), user(3), OWNER, user(7)], {
      [MERGED_USER]: user(1),
      [user(8)]: user(7),
    });
    // A lead already in the target (from a CSV import) with the e-mail of a legacy one.
    await database.sql(
      `INSERT INTO mas_crm.leads (id, full_name, email, source) VALUES ($1, 'Dev', 'D@x.io', 'website')`,
      [NATIVE_LEAD],
    );
    // lead(1) duplicates lead(2) and comes first by id, though lead(2) is older.
    await database.sql(
      `INSERT INTO legacy_import.leads
         (id, "fullName", email, phone, source, status, platform, "ownerId", "userId", "createdAt", "updatedAt")
       VALUES
        ($1, ' Asha K ', 'ASHA@X.IO ', NULL, 'website', 'CONTACTED', NULL, $9, $10, '2022-02-01 10:00', '2022-02-01 10:00'),
        ($2, 'Asha', 'asha@x.io', '98765 43210', 'website', 'ACTIVE', 'x-platform: web', NULL, $11, '2022-01-01 10:00', '2022-01-02 10:00'),
        ($3, NULL, 'b@x.io', '', 'Google Ads', 'CONTACTED', ' Web ', NULL, $10, '2022-03-01 10:00', '2022-03-01 10:00'),
        ($4, 'Chen', NULL, $13, 'my-analytics-school', 'LOST', 'ios', $9, $12, '2022-03-01 10:00', '2022-03-01 10:00'),
        ($5, 'Dana', 'c@x.io', NULL, 'website', 'QUALIFIED', 'android', $14, NULL, '2022-03-01 10:00', '2022-03-01 10:00'),
        ($6, 'Dev', 'd@x.io', NULL, 'website', 'CONVERTED', NULL, NULL, NULL, '2022-03-01 10:00', '2022-03-01 10:00'),
        ($7, $15, '', NULL, 'website', 'ACTIVE', '', NULL, $16, '2022-03-01 10:00', '2022-03-01 10:00'),
        ($8, 'Eve', 'e@x.io', NULL, 'website', 'ACTIVE', 'web', NULL, NULL, '2022-03-01 10:00', '2022-03-01 10:00'),
        ($17, 'Fay', 'f@x.io', NULL, 'website', 'ACTIVE', 'web', $18, $18, '2022-03-01 10:00', '2022-03-01 10:00')`,
      [
        lead(1),
        lead(2),
        lead(3),
        lead(4),
        lead(5),
        lead(6),
        lead(7),
        lead(8),
        OWNER,
        MERGED_USER,
        user(1),
        user(3),
        LONG_PHONE,
        UNKNOWN_USER,
        LONG_NAME,
        UNKNOWN_USER,
        lead(9),
        user(8),
      ],
    );
    await runPhases(database, crmPhases, { timezone: 'Europe/Berlin', batchSize: 2 });
  });

  afterAll(async () => {
    await database.drop();
  });

  it('imports leads with lower-case status, cleaned values and users through user_map', async () => {
    const { rows } = await database.sql(
      `SELECT id, full_name, email::text, phone, source, status, platform, owner_id, user_id,
              application_id, created_at
         FROM mas_crm.leads WHERE id <> $1 ORDER BY id`,
      [NATIVE_LEAD],
    );
    expect(rows).toEqual([
      {
        id: lead(2),
        full_name: 'Asha',
        email: 'asha@x.io',
        phone: '98765 43210',
        source: 'website',
        status: 'active',
        platform: 'web',
        owner_id: null,
        user_id: user(1),
        application_id: null,
        // 10:00 wall-clock in Berlin, winter time (+01:00).
        created_at: new Date('2022-01-01T09:00:00Z'),
      },
      expect.objectContaining({
        id: lead(3),
        full_name: 'Unknown',
        email: 'b@x.io',
        phone: null,
        source: 'google-ads',
        status: 'contacted',
        platform: 'web',
        user_id: null,
      }),
      expect.objectContaining({
        id: lead(4),
        full_name: 'Chen',
        phone: LONG_PHONE.slice(0, 40),
        source: 'my-analytics-school',
        status: 'lost',
        platform: 'ios',
        owner_id: OWNER,
        user_id: user(3),
      }),
      expect.objectContaining({ id: lead(5), status: 'qualified', owner_id: null }),
      expect.objectContaining({
        id: lead(7),
        full_name: 'N'.repeat(200),
        email: null,
        platform: null,
        user_id: null,
      }),
      expect.objectContaining({ id: lead(8), platform: 'web' }),
      expect.objectContaining({ id: lead(9), owner_id: user(7), user_id: user(7) }),
    ]);
  });

  it('merges leads duplicated on (source, e-mail) into the earliest, or into the lead already there', async () => {
    const report = await reportItems(database, 'leads');
    expect(report.get(lead(1))).toEqual([
      {
        outcome: 'merged',
        reason: `same source 'website' and e-mail 'ASHA@X.IO' (case-insensitive) as lead ${lead(2)}, which comes first; merged into it; its link to user ${user(1)} is not carried over; its owner ${OWNER} is not carried over`,
      },
    ]);
    expect(report.get(lead(6))?.[0]).toEqual({
      outcome: 'merged',
      reason: `same source 'website' and e-mail 'd@x.io' (case-insensitive) as lead ${NATIVE_LEAD}, which comes first; merged into it`,
    });
  });

  it('reports every changed value, owner and user link', async () => {
    const report = await reportItems(database, 'leads');
    expect(report.get(lead(2))).toEqual([
      { outcome: 'changed', reason: `platform 'x-platform: web' stored as 'web'` },
    ]);
    expect(report.get(lead(3))).toEqual([
      {
        outcome: 'changed',
        reason: [
          `full name NULL stored as 'Unknown'`,
          `phone '' stored as NULL`,
          `source 'Google Ads' stored as 'google-ads'`,
          `platform ' Web ' stored as 'web'`,
          `user ${user(1)} already has an earlier lead (one lead per user); imported without the user link`,
        ].join('; '),
      },
    ]);
    expect(report.get(lead(4))).toEqual([
      {
        outcome: 'changed',
        reason: `phone '${LONG_PHONE}' stored as '${LONG_PHONE.slice(0, 40)}'`,
      },
    ]);
    expect(report.get(lead(5))).toEqual([
      { outcome: 'changed', reason: `owner ${UNKNOWN_USER} was not imported; left empty` },
    ]);
    expect(report.get(lead(7))?.[0].reason).toContain(`user ${UNKNOWN_USER} was not imported`);
    expect(report.get(lead(8))).toBeUndefined();
    expect(report.get(lead(9))).toEqual([
      {
        outcome: 'changed',
        reason: `owner ${user(8)} was merged into user ${user(7)}, who owns it now; user ${user(8)} was merged into user ${user(7)}; the link moves there`,
      },
    ]);
  });

  it('changes nothing when run again', async () => {
    const tables = ['mas_crm.leads'];
    const snapshot = async () => [
      ...(await Promise.all(tables.map((table) => tableRows(database, table)))),
      await reportedDecisions(database),
    ];
    const before = await snapshot();
    await runPhases(database, crmPhases, { timezone: 'Europe/Berlin', batchSize: 3 });
    expect(await snapshot()).toEqual(before);
  });
});
