import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
} from '@mas/domain-errors';
import { FinanceModule } from '@mas/finance';
import { type User, UserRole } from '@mas/identity';
import { createFundedStudent } from '@mas/testing/lib-funds.js';
import { type LibModule, startLibModule } from '@mas/testing/lib-module.js';
import { createLibSlot, moveSlotIntoPast } from '@mas/testing/lib-slots.js';
import { createLibUser, libIdentityModule } from '@mas/testing/lib-users.js';
import { MentorshipModule } from '../mentorship.module.js';
import { BookingService } from './booking.service.js';
import { SlotsService } from './slots.service.js';
import { expectRefusal } from '@mas/testing/domain-errors.js';

const HOUR = 3600_000;
/** A window `startHours` from now, `lengthMinutes` long (default 60). */
const at = (startHours: number, lengthMinutes = 60) => {
  const startsAt = new Date(Date.now() + startHours * HOUR);
  return {
    startsAt,
    endsAt: new Date(startsAt.getTime() + lengthMinutes * 60_000),
    priceTokens: 1,
  };
};

describe('SlotsService (mentorship lib, on Postgres)', () => {
  let lib: LibModule;
  let slots: SlotsService;
  let admin: User;
  let mentor: User;

  const slotsOf = async (mentorId: string) =>
    (await lib.database.sql('SELECT status FROM slots WHERE mentor_id = $1', [mentorId])).rows;

  beforeAll(async () => {
    lib = await startLibModule([libIdentityModule(), FinanceModule, MentorshipModule]);
    slots = lib.context.get(SlotsService);
    admin = await createLibUser(lib.context, UserRole.Admin);
    mentor = await createLibUser(lib.context, UserRole.Expert);
  });

  afterAll(async () => {
    await lib?.close();
  });

  it('lets experts create slots only for themselves, and admins only for an expert', async () => {
    const expert = await createLibUser(lib.context, UserRole.Expert);
    const student = await createLibUser(lib.context, UserRole.Student);
    expect(await slots.create(at(1000), expert)).toMatchObject({
      mentorId: expert.id,
      status: 'tentative',
    });
    await expectRefusal(
      slots.create({ ...at(1010), mentorId: mentor.id }, expert),
      ForbiddenError,
      'experts create slots for themselves',
    );
    await expectRefusal(
      slots.create(at(1020), admin),
      RuleViolationError,
      'mentorId is required when an admin creates a slot',
    );
    for (const mentorId of [student.id, admin.id, randomUUID()])
      await expectRefusal(
        slots.create({ ...at(1030), mentorId }, admin),
        RuleViolationError,
        'mentorId must be the id of an expert',
      );
    expect(await slots.create({ ...at(1040), mentorId: expert.id }, admin)).toMatchObject({
      mentorId: expert.id,
    });
    expect(await slotsOf(expert.id)).toHaveLength(2);
    expect(await slotsOf(mentor.id)).toHaveLength(0);
  });

  it('refuses an overlap with an active slot of the same mentor, not a touching or cancelled one', async () => {
    const expert = await createLibUser(lib.context, UserRole.Expert);
    const other = await createLibUser(lib.context, UserRole.Expert);
    const first = await slots.create(at(2000), expert);
    await expectRefusal(
      slots.create(at(2000.5), expert),
      ConflictError,
      'slot overlaps another active slot of this mentor',
    );
    await slots.create(at(2001), expert); // starts as the first ends
    await slots.create(at(2000.5), other);
    await lib.database.sql("UPDATE slots SET status = 'cancelled' WHERE id = $1", [first.id]);
    await slots.create(at(2000, 30), expert);
    expect(await slotsOf(expert.id)).toHaveLength(3);
  });

  it('answers an unknown slot with NotFoundError', async () => {
    await expectRefusal(slots.get(randomUUID()), NotFoundError, 'slot not found');
  });

  it('lists as available only upcoming tentative slots, and as bookings only the caller’s taken ones', async () => {
    const expert = await createLibUser(lib.context, UserRole.Expert);
    const student = await createFundedStudent(lib.context, 2);
    const [open, booked, past] = [
      await createLibSlot(lib.context, expert, 1),
      await createLibSlot(lib.context, expert, 1),
      await createLibSlot(lib.context, expert, 1),
    ];
    await lib.context.get(BookingService).book(booked.id, student);
    await moveSlotIntoPast(lib.database, past.id);
    const available = await slots.list(
      { mentorId: expert.id, available: true, limit: 100 },
      student,
    );
    expect(available.items.map((slot) => slot.id)).toEqual([open.id]);
    for (const viewer of [student, expert])
      expect((await slots.bookingsOf(viewer, {})).items.map((slot) => slot.id)).toEqual([
        booked.id,
      ]);
    expect((await slots.bookingsOf(mentor, {})).items).toEqual([]);
  });

  it('6 overlapping slots created at once for one mentor: exactly one is stored', async () => {
    const expert = await createLibUser(lib.context, UserRole.Expert);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, n) => slots.create(at(3000 + n * 0.1), expert)),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes)
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(ConflictError);
    const overlapping = await lib.database.sql(
      `SELECT a.id FROM slots a JOIN slots b ON a.mentor_id = b.mentor_id AND a.id < b.id
        AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
      WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'`,
    );
    expect(overlapping.rows).toEqual([]);
    expect(await slotsOf(expert.id)).toHaveLength(1);
  });
});
