import {
  type OnGatewayConnection,
  type OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { Logger } from '@nestjs/common';
import { RealtimeReplay, type ReplayAnchor, roleRoom, userRoom } from '@mas/persistence';
import { eventBody } from './event-body.js';
import type { EventsNamespace, EventsSocket, EventsSocketData } from './events-socket.js';
import { SocketAuthenticator } from './socket-authenticator.js';
import { SocketCap } from './socket-cap.js';

/**
 * Sent once a connection is in its rooms (after any replay): `since` is the anchor of a client
 * that receives no event before it reconnects.
 */
export const EVENTS_READY = 'events.ready';
/** Tells a client the replay it asked for is not whole: it should reload what it shows. */
export const REPLAY_INCOMPLETE = 'replay.incomplete';
/** Tells a client this instance is going away; its transport closes next and it reconnects. */
export const SERVER_SHUTTING_DOWN = 'server.shutting_down';

/**
 * Server-to-client events on `/events`; clients send nothing, they only listen. A client that
 * reconnects with `auth.lastEventId` (or, having received none, `auth.since` from `events.ready`)
 * first gets what it may have missed.
 */
@WebSocketGateway({ path: '/socket.io', namespace: '/events', serveClient: false })
export class EventsGateway implements OnGatewayInit<EventsNamespace>, OnGatewayConnection {
  @WebSocketServer()
  private readonly namespace?: EventsNamespace;

  private readonly logger = new Logger('Realtime');

  constructor(
    private readonly authenticator: SocketAuthenticator,
    private readonly cap: SocketCap,
    private readonly replay: RealtimeReplay,
  ) {}

  afterInit(namespace: EventsNamespace): void {
    namespace.use(this.authenticator.middleware);
    this.cap.attach(namespace);
  }

  handleConnection(socket: EventsSocket): void {
    void this.joinRooms(socket);
  }

  /** Emits to the rooms' sockets on every instance (through the Redis adapter). */
  emit(rooms: string[], event: string, payload: unknown): void {
    this.requireNamespace().to(rooms).emit(event, payload);
  }

  /**
   * At shutdown: tells this instance's clients, then closes their transports (after what was
   * written to them). A transport that closes makes a Socket.IO client reconnect by itself, to
   * whichever instance the load balancer picks, and replay from its last event; a server-side
   * disconnect would make it stay away.
   */
  handOver(): number {
    const sockets = [...(this.namespace?.sockets.values() ?? [])];
    for (const socket of sockets) {
      socket.emit(SERVER_SHUTTING_DOWN, { reconnect: true });
      socket.conn.close();
    }
    return sockets.length;
  }

  /**
   * Disconnects the rooms' sockets on every instance: the request goes through Redis, after any
   * event emitted before it, and closes the connections (a client must reconnect, and so pass the
   * handshake again).
   */
  disconnect(rooms: string[]): void {
    this.requireNamespace().in(rooms).disconnectSockets(true);
  }

  /**
   * Joins the user and role rooms, then authenticates again. A revocation committed while the
   * handshake ran was dispatched before the socket was in its rooms and missed it; the second look
   * at the user sees that change, and any later one is dispatched to a socket already in its room.
   */
  private async joinRooms(socket: EventsSocket): Promise<void> {
    const admitted = socket.data;
    const rooms = [userRoom(admitted.userId), roleRoom(admitted.role)];
    await socket.join(rooms);
    const current = await this.authenticateAgain(socket);
    if (current?.userId !== admitted.userId || current.role !== admitted.role) {
      socket.disconnect(true);
      return;
    }
    const anchor = anchorOf(socket.handshake.auth);
    if (anchor) await this.replayTo(socket, anchor, rooms);
    socket.emit(EVENTS_READY, { since: await this.replay.now().catch(() => null) });
  }

  /**
   * Sends what the socket may have missed, after it joined its rooms: an event delivered from now
   * on reaches it live, one delivered before is in the replay (some in both: the client drops
   * an `id` it has seen).
   */
  private async replayTo(socket: EventsSocket, anchor: ReplayAnchor, rooms: string[]) {
    try {
      const replay = await this.replay.after(anchor, rooms);
      for (const event of replay.events)
        socket.emit(event.type, eventBody(event.id, event.payload));
      if (!replay.complete) socket.emit(REPLAY_INCOMPLETE, { ...anchor, reason: replay.reason });
    } catch (error) {
      this.logger.warn(`replay failed: ${(error as Error).message}`);
      socket.emit(REPLAY_INCOMPLETE, { ...anchor, reason: 'unavailable' });
    }
  }

  /** Runs the handshake's authentication once more: the user's data now, or null when refused. */
  private authenticateAgain(socket: EventsSocket): Promise<EventsSocketData | null> {
    return new Promise((resolve) =>
      this.authenticator.middleware(socket, (error) => resolve(error ? null : socket.data)),
    );
  }

  private requireNamespace(): EventsNamespace {
    if (!this.namespace) throw new Error('the realtime gateway is not initialized');
    return this.namespace;
  }
}

function anchorOf(auth: Record<string, unknown>): ReplayAnchor | undefined {
  if (typeof auth.lastEventId === 'string') return { lastEventId: auth.lastEventId };
  if (typeof auth.since === 'string') return { since: auth.since };
  return undefined;
}
