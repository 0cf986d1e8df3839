import { type TestApp } from './test-app.js';

let offsetMinutes = 0;

/**
 * A half-hour window in the future: each call a fresh time that overlaps no earlier one, unless
 * `startsInMs` is given.
 */
export function nextSlotWindow(startsInMs?: number): { startsAt: string; endsAt: string } {
  offsetMinutes += 90;
  const startsAt = new Date(Date.now() + (startsInMs ?? 24 * 3600_000 + offsetMinutes * 60_000));
  const endsAt = new Date(startsAt.getTime() + 30 * 60_000);
  return { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() };
}

/** A slot starting in the future (each call a fresh, non-overlapping time unless `startsInMs` is given). */
export async function createSlot(
  app: TestApp,
  mentorToken: string,
  { priceTokens = 2, startsInMs }: { priceTokens?: number; startsInMs?: number } = {},
): Promise<{ id: string; startsAt: string }> {
  const response = await app
    .http()
    .post('/api/mentorship/slots')
    .set('Authorization', `Bearer ${mentorToken}`)
    .send({ ...nextSlotWindow(startsInMs), priceTokens })
    .expect(201);
  return response.body as { id: string; startsAt: string };
}
