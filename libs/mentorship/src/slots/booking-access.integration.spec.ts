import { ForbiddenError, RuleViolationError } from '@mas/domain-errors';
import { FinanceModule } from '@mas/finance';
import { type User, UserRole } from '@mas/identity';
import { createFundedStudent, creditTokens } from '@mas/testing/lib-funds.js';
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

describe('BookingService: who may act (mentorship lib, on Postgres)', () => {
  let lib: LibModule;
  let booking: BookingService;
  let admin: User;
  let mentor: User;
  let otherMentor: User;

  const refused = (
    slotId: string,
    action: () => Promise<unknown>,
    error: Error | typeof ForbiddenError,
  ) => expectRefusedUnchanged(lib.database, slotId, action, error);

  beforeAll(async () => {
    lib = await startLibModule([libIdentityModule(), FinanceModule, MentorshipModule]);
    booking = lib.context.get(BookingService);
    admin = await createLibUser(lib.context, UserRole.Admin);
    mentor = await createLibUser(lib.context, UserRole.Expert);
    otherMentor = await createLibUser(lib.context, UserRole.Expert);
  });

  afterEach(async () => {
    expect(await ledgerViolations(lib.database)).toEqual([]);
    expect(await slotLedgerViolations(lib.database)).toEqual([]);
  });

  afterAll(async () => {
    await lib?.close();
  });

  it('lets only students take slots; a refusal (even one of a funded expert) changes nothing', async () => {
    const slot = await createLibSlot(lib.context, mentor);
    await creditTokens(lib.context, otherMentor.id, 5);
    for (const taker of [otherMentor, admin]) {
      await refused(
        slot.id,
        () => booking.book(slot.id, taker),
        new ForbiddenError('only students book slots'),
      );
      await refused(slot.id, () => booking.request(slot.id, taker), ForbiddenError);
    }
    const short = await createFundedStudent(lib.context, 1);
    await refused(
      slot.id,
      () => booking.request(slot.id, short),
      new RuleViolationError('not enough tokens: balance 1, needed 2'),
    );
  });

  it('never lets a mentor book their own slot, even once demoted to student', async () => {
    const demoted = await createLibUser(lib.context, UserRole.Expert);
    const slot = await createLibSlot(lib.context, demoted);
    await lib.database.sql("UPDATE users SET role = 'student' WHERE id = $1", [demoted.id]);
    await creditTokens(lib.context, demoted.id, 5);
    await refused(
      slot.id,
      () => booking.book(slot.id, { ...demoted, role: UserRole.Student }),
      new ForbiddenError('you cannot book your own slot'),
    );
  });

  it('lets only the slot’s mentor or an admin review, approve and reject a request', async () => {
    const student = await createFundedStudent(lib.context, 2);
    const slot = await createLibSlot(lib.context, mentor);
    await booking.request(slot.id, student);
    const notMentor = new ForbiddenError("only the slot's mentor or an admin may do this");
    for (const outsider of [otherMentor, student]) {
      await refused(slot.id, () => booking.review(slot.id, outsider), notMentor);
      await refused(slot.id, () => booking.reject(slot.id, outsider), notMentor);
    }
    await booking.review(slot.id, admin);
    await refused(slot.id, () => booking.approve(slot.id, otherMentor), notMentor);
    expect((await booking.approve(slot.id, mentor)).status).toBe('confirmed');
  });

  it('lets only participants ask to cancel, and only the other party or an admin approve', async () => {
    const { slot, student } = await createBookedSlot(lib.context, mentor);
    await refused(
      slot.id,
      () => booking.cancel(slot.id, admin),
      new ForbiddenError("only the slot's student or mentor may do this"),
    );
    await booking.cancel(slot.id, student);
    const notOtherParty = new ForbiddenError(
      'the other party or an admin must approve the cancellation',
    );
    await refused(slot.id, () => booking.approveCancellation(slot.id, student), notOtherParty);
    await refused(slot.id, () => booking.approveCancellation(slot.id, otherMentor), notOtherParty);
    expect((await booking.approveCancellation(slot.id, mentor)).status).toBe('cancelled');
  });

  it('lets only the slot’s mentor or an admin complete it', async () => {
    const { slot, student } = await createBookedSlot(lib.context, mentor);
    await moveSlotIntoPast(lib.database, slot.id);
    for (const outsider of [student, otherMentor])
      await refused(slot.id, () => booking.complete(slot.id, outsider), ForbiddenError);
    expect((await booking.complete(slot.id, admin)).status).toBe('completed');
  });
});
