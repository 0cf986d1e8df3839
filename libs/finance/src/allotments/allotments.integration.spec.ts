import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, RuleViolationError } from '@mas/domain-errors';
import { type User, UserRole } from '@mas/identity';
import { type LibModule, startLibModule } from '@mas/testing/lib-module.js';
import { createLibUser, libIdentityModule } from '@mas/testing/lib-users.js';
import { allotmentViolations, ledgerViolations } from '@mas/testing/ledger.js';
import { AllotmentStatus } from '../entities/allotment-request.entity.js';
import { FinanceModule } from '../finance.module.js';
import { AllotmentsService } from './allotments.service.js';
import { expectRefusal } from '@mas/testing/domain-errors.js';

describe('AllotmentsService (finance lib, on Postgres)', () => {
  let lib: LibModule;
  let allotments: AllotmentsService;
  let admin: User;
  let student: User;

  const requestFor = (userId: string, tokens = 4) =>
    allotments.request({ userId, tokens, reason: 'lib spec' }, admin.id);
  const balanceOf = async (userId: string) =>
    (await lib.database.sql('SELECT balance FROM token_wallets WHERE user_id = $1', [userId]))
      .rows[0]?.balance as number | undefined;
  const statusOf = async (id: string) =>
    (await lib.database.sql('SELECT status FROM token_allotment_requests WHERE id = $1', [id]))
      .rows[0]?.status as string;

  beforeAll(async () => {
    lib = await startLibModule([libIdentityModule(), FinanceModule]);
    allotments = lib.context.get(AllotmentsService);
    admin = await createLibUser(lib.context, UserRole.Admin);
    student = await createLibUser(lib.context, UserRole.Student);
  });

  afterEach(async () => {
    expect(await ledgerViolations(lib.database)).toEqual([]);
    expect(await allotmentViolations(lib.database)).toEqual([]);
  });

  afterAll(async () => {
    await lib?.close();
  });

  it('refuses a request for an unknown user and stores nothing', async () => {
    const unknown = randomUUID();
    await expectRefusal(requestFor(unknown), RuleViolationError, 'userId is not a known user');
    const stored = await lib.database.sql(
      'SELECT count(*)::int AS n FROM token_allotment_requests WHERE user_id = $1',
      [unknown],
    );
    expect(stored.rows[0].n).toBe(0);
  });

  it('stores a new request as pending, crediting nothing yet', async () => {
    const before = await balanceOf(student.id);
    const request = await requestFor(student.id, 9);
    expect(request).toMatchObject({ status: AllotmentStatus.Pending, requestedById: admin.id });
    expect(await balanceOf(student.id)).toBe(before);
  });

  it('allows only pending → approved or pending → rejected; a decided request stays decided', async () => {
    const approved = await requestFor(student.id, 2);
    const credited = await allotments.approve(approved.id, admin.id);
    expect(credited).toMatchObject({ status: AllotmentStatus.Approved, decidedById: admin.id });
    const afterApproval = await balanceOf(student.id);
    await expectRefusal(
      allotments.reject(approved.id, admin.id, 'too late'),
      ConflictError,
      'allotment request is already approved',
    );
    await expect(allotments.approve(approved.id, admin.id)).rejects.toThrow(ConflictError);

    const rejected = await requestFor(student.id, 3);
    await allotments.reject(rejected.id, admin.id, 'no');
    await expectRefusal(
      allotments.approve(rejected.id, admin.id),
      ConflictError,
      'allotment request is already rejected',
    );
    expect(await statusOf(rejected.id)).toBe('rejected');
    expect(await balanceOf(student.id)).toBe(afterApproval);
  });

  it('answers an unknown request with NotFoundError', async () => {
    await expectRefusal(
      allotments.approve(randomUUID(), admin.id),
      NotFoundError,
      'allotment request not found',
    );
    await expect(allotments.reject(randomUUID(), admin.id, 'x')).rejects.toThrow(NotFoundError);
  });

  it('leaves the request pending when the credit fails (the approval and the credit are one transaction)', async () => {
    // A user row written in plain SQL gets no wallet: the wallet is created by finance's TypeORM
    // insert subscriber, which raw SQL bypasses.
    const {
      rows: [walletless],
    } = await lib.database.sql(
      `INSERT INTO users (email, password_hash, full_name) VALUES ('walletless@lib-spec.local', 'x', 'No wallet')
       RETURNING id`,
    );
    const request = await requestFor(walletless.id as string);
    await expectRefusal(
      allotments.approve(request.id, admin.id),
      NotFoundError,
      'wallet not found',
    );
    expect(await statusOf(request.id)).toBe('pending');
  });

  it('5 approvals racing 5 rejections of one request: exactly one decision, credited at most once', async () => {
    const target = await createLibUser(lib.context, UserRole.Student);
    const request = await requestFor(target.id, 6);
    const decisions = await Promise.allSettled(
      Array.from({ length: 10 }, (_, n) =>
        n % 2
          ? allotments.approve(request.id, admin.id)
          : allotments.reject(request.id, admin.id, 'race'),
      ),
    );
    const won = decisions.filter((decision) => decision.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const decision of decisions)
      if (decision.status === 'rejected') expect(decision.reason).toBeInstanceOf(ConflictError);
    const status = await statusOf(request.id);
    expect(await balanceOf(target.id)).toBe(status === 'approved' ? 6 : 0);
    const credits = await lib.database.sql(
      'SELECT count(*)::int AS n FROM token_usages WHERE user_id = $1',
      [target.id],
    );
    expect(credits.rows[0].n).toBe(status === 'approved' ? 1 : 0);
  });

  it('8 concurrent approvals of different requests for one user: every credit lands, in one unbroken chain', async () => {
    const target = await createLibUser(lib.context, UserRole.Student);
    const requests = await Promise.all(
      Array.from({ length: 8 }, (_, n) => requestFor(target.id, n + 1)),
    );
    await Promise.all(requests.map((request) => allotments.approve(request.id, admin.id)));
    expect(await balanceOf(target.id)).toBe(36);
  });
});
