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
import { learningPhases } from './index.js';

const user = (n: number) => fixtureId('a', n);
const application = (n: number) => fixtureId('f', n);
const request = (n: number) => fixtureId('d', n);
const pap = (n: number) => fixtureId('e', n);
const B1 = fixtureId('b', 1);
const B2 = fixtureId('b', 2);
const C1 = fixtureId('c', 1);
const C2 = fixtureId('c', 2);
/** user(2) was merged into user(1) by the users phase; user(4) was never imported. */
const MERGED_USER = user(2);
const UNKNOWN_USER = user(4);

describe('legacy import: applications, discount requests, PAP workflows', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    await stageImportedUsers(database, [user(1), user(3)], { [MERGED_USER]: user(1) });
    await database.sql(
      `INSERT INTO legacy_import.colleges (id, name, city, state) VALUES
        ($1, 'IIT Delhi', 'Delhi', 'Delhi'), ($2, 'IIT Delhi ', 'Delhi', 'Delhi')`,
      [C1, C2],
    );
    await database.sql(
      `INSERT INTO legacy_import.courses (id, code, title, price, "createdAt")
       VALUES ($1, 'MAS-101', 'Analytics', 1000, '2020-01-01')`,
      [fixtureId('9', 1)],
    );
    await database.sql(
      `INSERT INTO legacy_import.batches (id, "courseId", name, "startDate", capacity, price, "createdAt")
       VALUES ($1, $3, 'January', '2021-01-15', 30, 1000, '2020-12-01'),
              ($2, $3, 'March', '2021-03-15', 30, 500, '2020-12-01')`,
      [B1, B2, fixtureId('9', 1)],
    );
    await database.sql(
      `INSERT INTO legacy_import.applications
         (id, "userId", "batchId", "collegeId", status, "finalAmount", "extraData", "createdAt", "updatedAt")
       VALUES
        ($1, $7, $9, NULL, 'submitted', NULL, '{"ref": "a1"}', '2021-01-01 10:00', '2021-01-01 10:00'),
        ($2, $8, $9, NULL, 'enrolled', 800, NULL, '2021-02-01 10:00', '2021-02-02 10:00'),
        ($3, $11, $9, $13, 'accepted', NULL, NULL, '2021-01-01 10:00', '2021-01-01 10:00'),
        ($4, $11, $10, $14, 'submitted', 450, NULL, '2021-01-03 10:00', '2021-01-03 10:00'),
        ($5, $12, $9, NULL, 'submitted', 1000, NULL, '2021-01-01 10:00', '2021-01-01 10:00'),
        ($6, $11, $10, NULL, 'withdrawn', 500, NULL, '2021-01-02 10:00', '2021-01-02 10:00')`,
      [
        application(1),
        application(2),
        application(3),
        application(4),
        application(5),
        application(6),
        user(1),
        MERGED_USER,
        B1,
        B2,
        user(3),
        UNKNOWN_USER,
        C2,
        fixtureId('c', 99),
      ],
    );
    await database.sql(
      `INSERT INTO legacy_import.discount_requests
         (id, "applicationId", "batchId", "requestedById", "reviewedById", "requestedPrice",
          "approvedPrice", status, note, "createdAt", "updatedAt")
       VALUES
        ($1, $6, $11, NULL, NULL, 700, NULL, 'pending', 'first ask', '2021-03-01 10:00', '2021-03-01 10:00'),
        ($2, $7, $11, $12, NULL, 650, NULL, 'pending', 'second ask', '2021-04-01 10:00', '2021-04-01 10:00'),
        ($3, $8, $11, $13, $14, 900, 850, 'approved', NULL, '2021-02-01 10:00', '2021-02-05 12:00'),
        ($4, $9, $11, $14, NULL, 900, NULL, 'pending', NULL, '2021-02-01 10:00', '2021-02-01 10:00'),
        ($5, $10, $11, $13, $12, 400, NULL, 'rejected', NULL, '2021-02-01 10:00', '2021-02-03 10:00')`,
      [
        request(1),
        request(2),
        request(3),
        request(4),
        request(5),
        application(1),
        application(2),
        application(3),
        application(5),
        application(4),
        B1,
        MERGED_USER,
        user(3),
        UNKNOWN_USER,
      ],
    );
    await database.sql(
      `INSERT INTO legacy_import.mas101_pap_workflows (id, "applicationId", status, "createdAt", "updatedAt")
       VALUES ($1, $5, 'in_training', '2021-01-05 10:00', '2021-01-06 10:00'),
              ($2, $6, 'initiated', '2021-06-01 10:00', '2021-06-01 10:00'),
              ($3, $7, 'placed', '2021-02-01 10:00', '2021-05-01 10:00'),
              ($4, $8, 'initiated', '2021-02-01 10:00', '2021-02-01 10:00')`,
      [
        pap(1),
        pap(2),
        pap(3),
        pap(4),
        application(1),
        application(2),
        application(3),
        application(5),
      ],
    );
    await runPhases(database, learningPhases);
  });

  afterAll(async () => {
    await database.drop();
  });

  it('keeps the most advanced of duplicate applications (after user merges) and maps the others to it', async () => {
    const { rows } = await database.sql(
      `SELECT id, user_id, batch_id, college_id, status, final_amount::text, extra_data
         FROM applications ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        id: application(2),
        user_id: user(1),
        batch_id: B1,
        college_id: null,
        status: 'enrolled',
        final_amount: '800.00',
        extra_data: null,
      },
      {
        id: application(3),
        user_id: user(3),
        batch_id: B1,
        college_id: C1,
        status: 'accepted',
        final_amount: '1000.00',
        extra_data: null,
      },
      {
        id: application(4),
        user_id: user(3),
        batch_id: B2,
        college_id: null,
        status: 'submitted',
        final_amount: '450.00',
        extra_data: null,
      },
    ]);
    const map = await database.sql(
      `SELECT legacy_id, application_id FROM legacy_import.application_map ORDER BY legacy_id`,
    );
    expect(map.rows).toEqual([
      { legacy_id: application(1), application_id: application(2) },
      { legacy_id: application(2), application_id: application(2) },
      { legacy_id: application(3), application_id: application(3) },
      { legacy_id: application(4), application_id: application(4) },
      { legacy_id: application(6), application_id: application(4) },
    ]);
    const report = await reportItems(database, 'applications');
    expect(report.get(application(1))).toEqual([
      {
        outcome: 'merged',
        reason: `another application of user ${user(1)} to batch ${B1}; merged into application ${application(2)} (kept: the most advanced status, then the earliest)`,
      },
    ]);
    expect(report.get(application(6))?.[0].outcome).toBe('merged');
    expect(report.get(application(3))).toEqual([
      { outcome: 'changed', reason: 'no final amount; set to the batch price 1000.00' },
    ]);
    expect(report.get(application(4))).toEqual([
      {
        outcome: 'changed',
        reason: `its college ${fixtureId('c', 99)} does not exist; left empty`,
      },
    ]);
    expect(report.get(application(5))).toEqual([
      { outcome: 'skipped', reason: `its student ${UNKNOWN_USER} was not imported` },
    ]);
    expect(report.get(application(2))).toEqual([
      {
        outcome: 'changed',
        reason: `its student ${MERGED_USER} was merged into user ${user(1)}; the application moves there`,
      },
    ]);
  });

  it('keeps the newest pending discount request per application, the older ones rejected with a note', async () => {
    const { rows } = await database.sql(
      `SELECT id, application_id, status, requested_by_id, decided_by_id, decided_at, decision_note,
              requested_price::text, approved_price::text, note
         FROM discount_requests ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        id: request(1),
        application_id: application(2),
        status: 'rejected',
        requested_by_id: user(1),
        decided_by_id: null,
        decided_at: new Date('2021-04-01T10:00:00Z'),
        decision_note: `Superseded by the newer pending request ${request(2)} (one pending request per application)`,
        requested_price: '700.00',
        approved_price: null,
        note: 'first ask',
      },
      {
        id: request(2),
        application_id: application(2),
        status: 'pending',
        requested_by_id: user(1),
        decided_by_id: null,
        decided_at: null,
        decision_note: null,
        requested_price: '650.00',
        approved_price: null,
        note: 'second ask',
      },
      {
        id: request(3),
        application_id: application(3),
        status: 'approved',
        requested_by_id: user(3),
        decided_by_id: null,
        decided_at: new Date('2021-02-05T12:00:00Z'),
        decision_note: null,
        requested_price: '900.00',
        approved_price: '850.00',
        note: null,
      },
      {
        id: request(5),
        application_id: application(4),
        status: 'rejected',
        requested_by_id: user(3),
        decided_by_id: user(1),
        decided_at: new Date('2021-02-03T10:00:00Z'),
        decision_note: null,
        requested_price: '400.00',
        approved_price: null,
        note: null,
      },
    ]);
    const report = await reportItems(database, 'discount_requests');
    expect(report.get(request(1))).toEqual([
      {
        outcome: 'changed',
        reason: [
          `a second pending request for application ${application(2)}; stored rejected, superseded by the newer pending request ${request(2)}`,
          `its application ${application(1)} was merged into ${application(2)}; the request follows it`,
          `no requester; set to the application's student ${user(1)}`,
        ].join('; '),
      },
    ]);
    expect(report.get(request(2))).toBeUndefined();
    expect(report.get(request(3))).toEqual([
      {
        outcome: 'changed',
        reason: `reviewer ${UNKNOWN_USER} was not imported; decided_by left empty`,
      },
    ]);
    expect(report.get(request(4))).toEqual([
      { outcome: 'skipped', reason: `its application ${application(5)} was not imported` },
    ]);
    expect(report.get(request(5))).toEqual([
      {
        outcome: 'changed',
        reason: `its batchId ${B1} differed from its application's batch ${B2}, which applies`,
      },
    ]);
  });

  it("keeps one PAP workflow per application after merges: the kept application's own", async () => {
    const { rows } = await database.sql(
      `SELECT id, application_id, status FROM mas101_pap_workflows ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: pap(2), application_id: application(2), status: 'initiated' },
      { id: pap(3), application_id: application(3), status: 'placed' },
    ]);
    const report = await reportItems(database, 'mas101_pap_workflows');
    expect(report.get(pap(1))).toEqual([
      {
        outcome: 'skipped',
        reason: `application ${application(2)} (merged duplicates) already has PAP workflow ${pap(2)}; this one (status in_training) is not imported`,
      },
    ]);
    expect(report.get(pap(4))?.[0].outcome).toBe('skipped');
    expect(report.get(pap(3))).toBeUndefined();
  });

  it('changes nothing when run again', async () => {
    const tables = [
      'applications',
      'discount_requests',
      'mas101_pap_workflows',
      'legacy_import.application_map',
    ];
    const snapshot = async () => [
      ...(await Promise.all(tables.map((table) => tableRows(database, table)))),
      await reportedDecisions(database),
    ];
    const before = await snapshot();
    await runPhases(database, learningPhases, { timezone: 'UTC', batchSize: 4 });
    expect(await snapshot()).toEqual(before);
  });
});
