import type { RealtimeEvent } from './outbox.service.js';
import { userRoom } from './realtime-rooms.js';

/**
 * Realtime control event: a user's access changed. The gateway sends it to the user's open
 * sockets on every instance, then disconnects them; a client that reconnects is authenticated
 * afresh and joins the rooms of its current role (or is refused).
 */
export const SESSION_REVOKED = 'session.revoked';

export type SessionRevokedReason = 'deactivated' | 'role_changed' | 'tokens_revoked';

export function sessionRevoked(userId: string, reason: SessionRevokedReason): RealtimeEvent {
  return { type: SESSION_REVOKED, data: { userId, reason }, rooms: [userRoom(userId)] };
}
