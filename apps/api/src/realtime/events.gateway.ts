import {
  OnGatewayConnection,
  OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { roleRoom, userRoom } from '@mas/persistence';
import type { EventsNamespace, EventsSocket, EventsSocketData } from './events-socket.js';
import { SocketAuthenticator } from './socket-authenticator.js';
import { SocketCap } from './socket-cap.js';

/** Server-to-client events on `/events`; clients send nothing, they only listen. */
@WebSocketGateway({ path: '/socket.io', namespace: '/events', serveClient: false })
export class EventsGateway implements OnGatewayInit<EventsNamespace>, OnGatewayConnection {
  @WebSocketServer()
  private readonly namespace?: EventsNamespace;

  constructor(
    private readonly authenticator: SocketAuthenticator,
    private readonly cap: SocketCap,
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
    await socket.join([userRoom(admitted.userId), roleRoom(admitted.role)]);
    const current = await this.authenticateAgain(socket);
    if (current?.userId !== admitted.userId || current.role !== admitted.role) {
      socket.disconnect(true);
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
