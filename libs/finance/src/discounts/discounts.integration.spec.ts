import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, RuleViolationError } from '@mas/domain-errors';
import { type User, UserRole } from '@mas/identity';
import { DiscountTableTarget } from '@mas/testing/discount-table-target.js';
import { type LibModule, startLibModule } from '@mas/testing/lib-module.js';
import { createLibUser, libIdentityModule } from '@mas/testing/lib-users.js';
import { DiscountStatus } from '../entities/discount-request.entity.js';
import { FinanceModule } from '../finance.module.js';
import { DiscountTargets } from './discount-target.js';
import { DiscountsService } from './discounts.service.js';
import { expectRefusal } from '@mas/testing/domain-errors.js';

describe('DiscountsService (finance lib, on Postgres)', () => {
  let lib: LibModule;
  let discounts: DiscountsService;
  let targets: DiscountTableTarget;
  let admin: User;
  let sales: User;

  const ask = (applicationId: string, requestedPrice: string, requester = sales) =>
    discounts.request({ applicationId, requestedPrice }, requester);
  const requestsOn = async (applicationId: string) =>
    (
      await lib.database.sql(
        'SELECT status FROM discount_requests WHERE application_id = $1 ORDER BY created_at',
        [applicationId],
      )
    ).rows.map((row) => row.status as string);

  beforeAll(async () => {
    lib = await startLibModule([libIdentityModule(), FinanceModule]);
    discounts = lib.context.get(DiscountsService);
    targets = await DiscountTableTarget.create(lib.database);
    lib.context.get(DiscountTargets).register(targets);
    admin = await createLibUser(lib.context, UserRole.Admin);
    sales = await createLibUser(lib.context, UserRole.Sales);
  });

  afterAll(async () => {
    await lib?.close();
  });

  it('answers an unknown target and one outside the requester’s scope alike, storing nothing', async () => {
    const othersTarget = await targets.add(admin, '100.00');
    for (const applicationId of [randomUUID(), othersTarget]) {
      await expectRefusal(
        ask(applicationId, '50.00'),
        RuleViolationError,
        'applicationId is not a known application',
      );
      expect(await requestsOn(applicationId)).toEqual([]);
    }
  });

  it('refuses a requested price that is not below the current one, to the cent', async () => {
    const target = await targets.add(sales, '100.00');
    for (const price of ['100', '100.00', '100.01', '250']) {
      await expectRefusal(
        ask(target, price),
        RuleViolationError,
        'requestedPrice must be below the current price 100.00',
      );
    }
    expect(await ask(target, '99.99')).toMatchObject({ status: DiscountStatus.Pending });
  });

  it('keeps one pending request per target; a decided one makes room for the next', async () => {
    const target = await targets.add(sales, '80.00');
    const first = await ask(target, '70.00');
    await expectRefusal(
      ask(target, '60.00'),
      ConflictError,
      'this application already has a pending discount request',
    );
    await discounts.reject(first.id, 'not now', admin.id);
    await ask(target, '60.00');
    expect(await requestsOn(target)).toEqual(['rejected', 'pending']);
  });

  it("approves once, setting the target's price; a decided request cannot be decided again", async () => {
    const target = await targets.add(sales, '90.00');
    const request = await ask(target, '75.00');
    const approved = await discounts.approve(request.id, '77.50', admin.id);
    expect(approved).toMatchObject({ status: DiscountStatus.Approved, decidedById: admin.id });
    expect(await targets.priceOf(target)).toBe('77.50');
    await expectRefusal(
      discounts.approve(request.id, '10.00', admin.id),
      ConflictError,
      'discount request is already approved',
    );
    await expect(discounts.reject(request.id, 'late', admin.id)).rejects.toThrow(ConflictError);
    await expectRefusal(
      discounts.approve(randomUUID(), '1.00', admin.id),
      NotFoundError,
      'discount request not found',
    );
    expect(await targets.priceOf(target)).toBe('77.50');
  });

  it('leaves the request pending when the target refuses the price (one transaction)', async () => {
    const target = await targets.add(sales, '40.00');
    const request = await ask(target, '30.00');
    // The target's CHECK (price > 0) fails the write inside the approval's transaction.
    await expect(discounts.approve(request.id, '0.00', admin.id)).rejects.toThrow(
      'violates check constraint',
    );
    expect(await requestsOn(target)).toEqual(['pending']);
    expect(await targets.priceOf(target)).toBe('40.00');
  });

  it('lists only requests on targets the viewer may see', async () => {
    const otherSales = await createLibUser(lib.context, UserRole.Sales);
    const mine = await ask(await targets.add(sales, '20.00'), '15.00');
    const theirs = await ask(await targets.add(otherSales, '20.00'), '15.00', otherSales);
    const ids = (viewer: User) =>
      discounts
        .list(DiscountStatus.Pending, { limit: 100 }, viewer)
        .then((page) => page.items.map((item) => item.id));
    expect(await ids(sales)).toContain(mine.id);
    expect(await ids(sales)).not.toContain(theirs.id);
    expect(await ids(otherSales)).toEqual([theirs.id]);
  });

  it('8 concurrent requests on one target: exactly one pending request, the rest ConflictError', async () => {
    const target = await targets.add(sales, '500.00');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, n) => ask(target, `${400 + n}.00`)),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes)
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(ConflictError);
    expect(await requestsOn(target)).toEqual(['pending']);
  });

  it('approvals racing rejections: one decision, and the price moves only if it was an approval', async () => {
    const target = await targets.add(sales, '300.00');
    const request = await ask(target, '200.00');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, n) =>
        n % 2
          ? discounts.approve(request.id, '210.00', admin.id)
          : discounts.reject(request.id, 'race', admin.id),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const [status] = await requestsOn(target);
    expect(await targets.priceOf(target)).toBe(status === 'approved' ? '210.00' : '300.00');
  });
});
