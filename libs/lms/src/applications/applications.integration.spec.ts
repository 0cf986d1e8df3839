import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
} from '@mas/domain-errors';
import { type User, UserRole } from '@mas/identity';
import { concurrently } from '@mas/testing/concurrently.js';
import { expectDomainError, expectRefusal } from '@mas/testing/domain-errors.js';
import { createLibBatch } from '@mas/testing/lib-catalog.js';
import { type LibModule, startLibModule } from '@mas/testing/lib-module.js';
import { createLibUser, libIdentityModule } from '@mas/testing/lib-users.js';
import { ApplicationStatus as S } from '../entities/application-status.enum.js';
import { LmsModule } from '../lms.module.js';
import { ApplicationsService } from './applications.service.js';

/** The LMS alone (no CRM): applications' rules and races on the service, checked in SQL. */
describe('ApplicationsService (lib integration)', () => {
  let lib: LibModule;
  let applications: ApplicationsService;
  let admin: User;
  let batchId: string;

  beforeAll(async () => {
    lib = await startLibModule([libIdentityModule(), LmsModule]);
    applications = lib.context.get(ApplicationsService);
    admin = await createLibUser(lib.context, UserRole.Admin);
    batchId = await createLibBatch(lib.context, { code: 'APP-1', price: '1500.00' });
  });
  afterAll(() => lib.close());

  const student = () => createLibUser(lib.context, UserRole.Student);
  const setStatus = (id: string, status: S) =>
    lib.database.sql('UPDATE applications SET status = $2 WHERE id = $1', [id, status]);
  const statusOf = async (id: string) =>
    (await lib.database.sql('SELECT status FROM applications WHERE id = $1', [id])).rows[0].status;
  const statusEvents = async (id: string) =>
    (
      await lib.database.sql(
        `SELECT payload->'data'->>'from' AS "from", payload->'data'->>'to' AS "to" FROM outbox_messages
          WHERE channel = 'event' AND topic = 'application.status_changed'
            AND payload->'data'->>'applicationId' = $1 ORDER BY created_at`,
        [id],
      )
    ).rows;

  it('keeps the price of the day it was applied; an unknown batch or college writes nothing', async () => {
    const applicant = await student();
    const applied = await applications.create({ batchId }, applicant);
    await lib.database.sql(`UPDATE batches SET price = '999.00' WHERE id = $1`, [batchId]);
    expect((await applications.get(applied.id, applicant)).finalAmount).toBe('1500.00');

    const other = await student();
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expectRefusal(
      applications.create({ batchId: unknown }, other),
      RuleViolationError,
      'batchId is not a known batch',
    );
    await expectRefusal(
      applications.create({ batchId, collegeId: unknown }, other),
      RuleViolationError,
      'collegeId is not a known college',
    );
    const written = await lib.database.sql(
      `SELECT (SELECT count(*) FROM applications WHERE user_id::text = $1)::int AS applications,
              (SELECT count(*) FROM outbox_messages WHERE payload->>'to' = $2
                  OR payload->'data'->>'userId' = $1)::int AS messages`,
      [other.id, other.email],
    );
    expect(written.rows[0]).toEqual({ applications: 0, messages: 0 });
  });

  it('N concurrent applications of one student to one batch: one application, one email, one event', async () => {
    const applicant = await student();
    const { fulfilled, rejected } = await concurrently(
      Array.from({ length: 8 }, () => () => applications.create({ batchId }, applicant)),
    );
    expect(fulfilled).toHaveLength(1);
    for (const error of rejected)
      expectDomainError(error, ConflictError, 'you already applied to this batch');
    const counts = await lib.database.sql(
      `SELECT (SELECT count(*) FROM applications WHERE user_id::text = $1)::int AS applications,
              (SELECT count(*) FROM outbox_messages WHERE topic = 'application_received'
                  AND payload->>'to' = $2)::int AS emails,
              (SELECT count(*) FROM outbox_messages WHERE topic = 'application.created'
                  AND payload->'data'->>'userId' = $1)::int AS events`,
      [applicant.id, applicant.email],
    );
    expect(counts.rows[0]).toEqual({ applications: 1, emails: 1, events: 1 });
  });

  it('moves along the lifecycle only, one event per move; a refused move changes nothing', async () => {
    const { id } = await applications.create({ batchId }, await student());
    for (const status of [S.UnderReview, S.Accepted, S.Enrolled, S.Withdrawn])
      await applications.changeStatus(id, status, admin);
    expect(await statusEvents(id)).toEqual([
      { from: S.Submitted, to: S.UnderReview },
      { from: S.UnderReview, to: S.Accepted },
      { from: S.Accepted, to: S.Enrolled },
      { from: S.Enrolled, to: S.Withdrawn },
    ]);

    const refused: [S, S][] = [
      [S.Submitted, S.Accepted], // no acceptance without review
      [S.Submitted, S.Enrolled],
      [S.UnderReview, S.Enrolled],
      [S.Rejected, S.UnderReview], // rejected and withdrawn are final
      [S.Withdrawn, S.Submitted],
      [S.Enrolled, S.Rejected],
    ];
    const { id: other } = await applications.create({ batchId }, await student());
    for (const [from, to] of refused) {
      await setStatus(other, from);
      await expectRefusal(
        applications.changeStatus(other, to, admin),
        ConflictError,
        `application is ${from}; cannot move to ${to}`,
      );
      expect(await statusOf(other)).toBe(from);
    }
    expect(await statusEvents(other)).toEqual([]);
  });

  it('a student may only withdraw their own application; other roles do not see it', async () => {
    const owner = await student();
    const { id } = await applications.create({ batchId }, owner);
    await setStatus(id, S.UnderReview);
    await expectRefusal(
      applications.changeStatus(id, S.Accepted, owner),
      ForbiddenError,
      'students may only withdraw their own applications',
    );
    for (const outsider of [await student(), await createLibUser(lib.context, UserRole.Expert)]) {
      await expectRefusal(
        applications.changeStatus(id, S.Withdrawn, outsider),
        NotFoundError,
        'application not found',
      );
    }
    expect(await statusOf(id)).toBe(S.UnderReview);
    // Sales scope is the CRM's rule: without the CRM module, sales see nothing (fail closed).
    await expect(
      applications.get(id, await createLibUser(lib.context, UserRole.Sales)),
    ).rejects.toThrow('no sales application rule is registered');
    await applications.changeStatus(id, S.Withdrawn, owner);
    expect(await statusOf(id)).toBe(S.Withdrawn);
  });

  it('N concurrent decisions on one application: exactly one wins and emits one event', async () => {
    const { id } = await applications.create({ batchId }, await student());
    await setStatus(id, S.UnderReview);
    // Neither decision may follow the other (accepted -> withdrawn could), so one must fail.
    const decisions = [S.Accepted, S.Rejected, S.Accepted, S.Rejected, S.Accepted, S.Rejected];
    const { fulfilled: won, rejected } = await concurrently(
      decisions.map((status) => () => applications.changeStatus(id, status, admin)),
    );
    expect(won).toHaveLength(1);
    for (const error of rejected) expect(error).toBeInstanceOf(ConflictError);
    expect(await statusOf(id)).toBe(won[0].status);
    expect(await statusEvents(id)).toEqual([{ from: S.UnderReview, to: won[0].status }]);
  });
});
