import { type INestApplicationContext } from '@nestjs/common';
import { type User } from '@mas/identity';
import { type Slot, SlotsService } from '@mas/mentorship';
import { nextSlotWindow } from './slots.js';
import { type TestDatabase } from './test-database.js';

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

/** `action` fails with `error` (a class or an instance, as jest's toThrow takes) and changes nothing. */
export async function expectRefusedUnchanged(
  database: TestDatabase,
  slotId: string,
  action: () => Promise<unknown>,
  error: Error | (new (...args: never[]) => Error),
): Promise<void> {
  const before = await slotState(database, slotId);
  await expect(action()).rejects.toThrow(error);
  expect(await slotState(database, slotId)).toEqual(before);
}
