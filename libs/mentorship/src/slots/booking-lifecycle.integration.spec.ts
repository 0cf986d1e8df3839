import { ConflictError } from '@mas/domain-errors';
import { FinanceModule } from '@mas/finance';
import { type User, UserRole } from '@mas/identity';
import { createFundedStudent } from '@mas/testing/lib-funds.js';
import { type LibModule, startLibModule } from '@mas/testing/lib-module.js';
import {
  createBookedSlot,
  createLibSlot,
  expectRefusedUnchanged,
  moveSlotIntoPast,
} from '@mas/testing/lib-slots.js';
import { createLibUser, libIdentityModule } from '@mas/testing/lib-users.js';
import { ledgerViolations, slotLedgerViolations } from '@mas/testing/ledger.js';
import { MentorshipModule } from '../mentorship.module.js';
import { BookingService } from './booking.service.js';

describe('BookingService: lifecycle and races (mentorship lib, on Postgres)', () => {
  let lib: LibModule;
  let booking: BookingService;
  let admin: User;
  let mentor: User;

  const balanceOf = async (user: User) =>
    (await lib.database.sql('SELECT balance FROM token_wallets WHERE user_id = $1', [user.id]))
      .rows[0].balance as number;
  const statusOf = async (slotId: string) =>
    (await lib.database.sql('SELECT status FROM slots WHERE id = $1', [slotId])).rows[0]
      .status as string;

  beforeAll(async () => {
    lib = await startLibModule([libIdentityModule(), FinanceModule, MentorshipModule]);
    booking = lib.context.get(BookingService);
    admin = await createLibUser(lib.context, UserRole.Admin);
    mentor = await createLibUser(lib.context, UserRole.Expert);
  });

  afterEach(async () => {
    expect(await ledgerViolations(lib.database)).toEqual([]);
    expect(await slotLedgerViolations(lib.database)).toEqual([]);
  });

  afterAll(async () => {
    await lib?.close();
  });

  it('refuses every transition the lifecycle does not allow from the current status, changing nothing', async () => {
    const student = await createFundedStudent(lib.context, 4);
    const slot = await createLibSlot(lib.context, mentor);
    const refuse = (action: () => Promise<unknown>, message: string) =>
      expectRefusedUnchanged(lib.database, slot.id, action, new ConflictError(message));
    await refuse(() => booking.approve(slot.id, mentor), 'slot is tentative; cannot approve');
    await refuse(() => booking.cancel(slot.id, mentor), 'slot is tentative; cannot cancel');
    await booking.request(slot.id, student);
    await refuse(() => booking.book(slot.id, student), 'slot is meeting_requested; cannot book');
    await refuse(
      () => booking.approve(slot.id, mentor),
      'slot is meeting_requested; cannot approve',
    );
    await booking.review(slot.id, mentor);
    await refuse(() => booking.review(slot.id, mentor), 'slot is under_review; cannot review');
    await refuse(() => booking.complete(slot.id, mentor), 'slot is under_review; cannot complete');
    await booking.reject(slot.id, mentor);
    await refuse(
      () => booking.approveCancellation(slot.id, admin),
      'slot is tentative; cannot approveCancellation',
    );
    expect(await balanceOf(student)).toBe(4);
  });

  it('refuses a slot that has started, and completes only a started one, crediting the mentor once', async () => {
    const { slot, student } = await createBookedSlot(lib.context, mentor, 3);
    await expectRefusedUnchanged(
      lib.database,
      slot.id,
      () => booking.complete(slot.id, mentor),
      new ConflictError('slot has not started yet; cannot complete'),
    );
    const started = await createLibSlot(lib.context, mentor, 1);
    await moveSlotIntoPast(lib.database, slot.id, 1);
    await moveSlotIntoPast(lib.database, started.id, 3);

    await expectRefusedUnchanged(
      lib.database,
      started.id,
      () => booking.book(started.id, student),
      new ConflictError('slot is in the past'),
    );
    const before = await balanceOf(mentor);
    await booking.complete(slot.id, admin);
    await expectRefusedUnchanged(
      lib.database,
      slot.id,
      () => booking.complete(slot.id, mentor),
      ConflictError,
    );
    expect(await balanceOf(mentor)).toBe(before + 3);
  });

  it('10 students booking or requesting one slot at once: exactly one takes it and pays once', async () => {
    const slot = await createLibSlot(lib.context, mentor, 2);
    const students = await Promise.all(
      Array.from({ length: 10 }, () => createFundedStudent(lib.context, 2)),
    );
    const outcomes = await Promise.allSettled(
      students.map((student, n) =>
        n % 2 ? booking.book(slot.id, student) : booking.request(slot.id, student),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes)
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(ConflictError);
    const paid = await lib.database.sql(
      "SELECT count(*)::int AS n FROM token_usages WHERE slot_id = $1 AND usage_type = 'meeting_booking'",
      [slot.id],
    );
    expect(paid.rows[0].n).toBe(1);
  });

  it('approvals racing rejections of a slot under review: one wins; refunded exactly when rejected', async () => {
    const student = await createFundedStudent(lib.context, 2);
    const slot = await createLibSlot(lib.context, mentor, 2);
    await booking.request(slot.id, student);
    await booking.review(slot.id, mentor);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, n) =>
        n % 2 ? booking.approve(slot.id, mentor) : booking.reject(slot.id, admin),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(await balanceOf(student)).toBe((await statusOf(slot.id)) === 'tentative' ? 2 : 0);
  });
});
