import type { DefaultEventsMap, Namespace, Socket } from 'socket.io';
import type { UserRole } from '@mas/identity';

/** What the handshake established about the connection. */
export interface EventsSocketData {
  userId: string;
  role: UserRole;
}

export type EventsSocket = Socket<
  DefaultEventsMap,
  DefaultEventsMap,
  DefaultEventsMap,
  EventsSocketData
>;
export type EventsNamespace = Namespace<
  DefaultEventsMap,
  DefaultEventsMap,
  DefaultEventsMap,
  EventsSocketData
>;
