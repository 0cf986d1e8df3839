import { NotFoundError } from '@mas/domain-errors';
import { type User, UserRole } from '@mas/identity';
import { ApplicationStatus, ApplicationsService } from '@mas/lms';
import { TransactionRunner } from '@mas/persistence';
import { expectRefusal } from '@mas/testing/domain-errors.js';
import { createLibBatch } from '@mas/testing/lib-catalog.js';
import { type LibModule, startLibModule } from '@mas/testing/lib-module.js';
import { createLibUser, libIdentityModule } from '@mas/testing/lib-users.js';
import { CrmModule } from '../crm.module.js';
import { nextSalesUser } from '../workflow/sales-rotation.js';

/**
 * What the CRM adds to applications: the student's lead (written by the insert subscriber), the
 * sales side of the application scope, and the round-robin that assigns application leads.
 */
describe('application leads (lib integration)', () => {
  let lib: LibModule;
  let applications: ApplicationsService;
  let batchIds: string[];

  beforeAll(async () => {
    lib = await startLibModule([libIdentityModule(), CrmModule]);
    applications = lib.context.get(ApplicationsService);
    batchIds = await Promise.all(
      ['LEAD-1', 'LEAD-2', 'LEAD-3', 'LEAD-4', 'LEAD-5'].map((code) =>
        createLibBatch(lib.context, { code, price: '100.00' }),
      ),
    );
  });
  afterAll(() => lib.close());

  const user = (role: UserRole, salesHeadId?: string) =>
    createLibUser(lib.context, role, salesHeadId);

  it('N concurrent applications of one student leave one lead, linked to one of them', async () => {
    const student = await user(UserRole.Student);
    const created = await Promise.all(
      batchIds.map((batchId) => applications.create({ batchId }, student)),
    );
    const leads = await lib.database.sql(
      `SELECT application_id AS "applicationId" FROM mas_crm.leads WHERE user_id = $1`,
      [student.id],
    );
    expect(leads.rows).toHaveLength(1);
    expect(created.map((application) => application.id)).toContain(leads.rows[0].applicationId);
  });

  it("sales act on every application of their lead's student, and on no other", async () => {
    const head = await user(UserRole.SalesHead);
    const owner = await user(UserRole.Sales, head.id);
    const outsiders: User[] = [await user(UserRole.Sales), await user(UserRole.SalesHead)];
    const student = await user(UserRole.Student);
    const [first, second] = [
      await applications.create({ batchId: batchIds[0] }, student),
      await applications.create({ batchId: batchIds[1] }, student),
    ];
    await lib.database.sql('UPDATE mas_crm.leads SET owner_id = $2 WHERE user_id = $1', [
      student.id,
      owner.id,
    ]);
    for (const outsider of outsiders)
      await expectRefusal(
        applications.changeStatus(second.id, ApplicationStatus.UnderReview, outsider),
        NotFoundError,
        'application not found',
      );
    expect((await applications.get(second.id, head)).status).toBe(ApplicationStatus.Submitted);
    // The lead is linked to the first application; the second is in scope through its student.
    await applications.changeStatus(second.id, ApplicationStatus.UnderReview, owner);
    await applications.changeStatus(first.id, ApplicationStatus.Rejected, head);
    const visible = await applications.list({ limit: 50 }, owner);
    expect(visible.items.map((application) => application.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
  });

  it('N concurrent round-robin picks give every active sales user the same share, inactive ones none', async () => {
    const inactive = await user(UserRole.Sales);
    await lib.database.sql('UPDATE users SET is_active = false WHERE id = $1', [inactive.id]);
    await Promise.all([user(UserRole.Sales), user(UserRole.Sales), user(UserRole.Sales)]);
    const active = await lib.database.sql(
      `SELECT id FROM users WHERE role = 'sales' AND is_active`,
    );
    const transactions = lib.context.get(TransactionRunner);
    const picks = await Promise.all(
      Array.from({ length: active.rowCount! * 4 }, () =>
        transactions.run((tx) => nextSalesUser(tx)),
      ),
    );
    const share = new Map<string, number>();
    for (const pick of picks) share.set(pick!.id, (share.get(pick!.id) ?? 0) + 1);
    expect([...share.keys()].sort()).toEqual(active.rows.map((row) => row.id).sort());
    expect(new Set(share.values())).toEqual(new Set([4]));
  });
});
