/**
 * What a client receives: `{ id, type, occurredAt, data }`. The id is the outbox id, the same on
 * every attempt, instance and replay, so a client drops an event it has already seen.
 */
export function eventBody(id: string, payload: Record<string, unknown>): Record<string, unknown> {
  return { id, ...payload };
}
