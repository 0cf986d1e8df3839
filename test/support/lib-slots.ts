import { type INestApplicationContext } from '@nestjs/common';
import { type User } from '@mas/identity';
import { BookingService, type Slot, SlotsService } from '@mas/mentorship';
import { createFundedStudent } from './lib-funds.js';
import { nextSlotWindow } from './slots.js';
import { type TestDatabase } from './test-database.js';
import { type DomainError } from '@mas/domain-errors';
import { expectRefusal } from './domain-errors.js';

/** A tentative slot of `mentor` through SlotsService, at a fresh future time that overlaps no other. */
export async function createLibSlot(
  context: INestApplicationContext,
  mentor: User,
  priceTokens = 2,
): Promise<Slot> {
  const window = nextSlotWindow();
  return context
    .get(SlotsService)
    .create(
      { startsAt: new Date(window.startsAt), endsAt: new Date(window.endsAt), priceTokens },
      mentor,
    );
}

/** A slot of `mentor` booked (confirmed) by a new student who had exactly its price. */
export async function createBookedSlot(
  context: INestApplicationContext,
  mentor: User,
  priceTokens = 2,
): Promise<{ slot: Slot; student: User }> {
  const student = await createFundedStudent(context, priceTokens);
  const slot = await createLibSlot(context, mentor, priceTokens);
  await context.get(BookingService).book(slot.id, student);
  return { slot, student };
}

/**
 * Moves a slot to have started `hoursAgo` hours ago (half an hour long), as time passing would:
 * the services never create slots in the past.
 */
export async function moveSlotIntoPast(
  database: TestDatabase,
  slotId: string,
  hoursAgo = 1,
): Promise<void> {
  await database.sql(
    `UPDATE slots SET starts_at = now() - make_interval(hours => $2),
                      ends_at = now() - make_interval(hours => $2) + interval '30 minutes'
      WHERE id = $1`,
    [slotId, hoursAgo],
  );
}

/** What a refused slot action must leave alone: the slot row, the books, its notifications. */
async function slotState(database: TestDatabase, slotId: string) {
  const [slot, ledger, outbox] = await Promise.all([
    database.sql('SELECT * FROM slots WHERE id = $1', [slotId]),
    database.sql('SELECT id FROM token_usages ORDER BY entry_no'),
    database.sql('SELECT id FROM outbox_messages WHERE payload::text LIKE $1 ORDER BY id', [
      `%${slotId}%`,
    ]),
  ]);
  return { slot: slot.rows, ledger: ledger.rows, outbox: outbox.rows };
}

/**
 * `action` fails with `error` and changes nothing. An instance is matched by class and message
 * (jest's toThrow would compare the message only), a class by class.
 */
export async function expectRefusedUnchanged(
  database: TestDatabase,
  slotId: string,
  action: () => Promise<unknown>,
  error: DomainError | (abstract new (...args: never[]) => DomainError),
): Promise<void> {
  const before = await slotState(database, slotId);
  if (error instanceof Error)
    await expectRefusal(action(), error.constructor as typeof DomainError, error.message);
  else await expect(action()).rejects.toBeInstanceOf(error);
  expect(await slotState(database, slotId)).toEqual(before);
}
