import {
  OnGatewayConnection,
  OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { roleRoom, userRoom } from '@mas/persistence';
import type { EventsNamespace, EventsSocket } from './events-socket.js';
import { SocketAuthenticator } from './socket-authenticator.js';

/** Server-to-client events on `/events`; clients send nothing, they only listen. */
@WebSocketGateway({ path: '/socket.io', namespace: '/events', serveClient: false })
export class EventsGateway implements OnGatewayInit<EventsNamespace>, OnGatewayConnection {
  @WebSocketServer()
  private readonly namespace?: EventsNamespace;

  constructor(private readonly authenticator: SocketAuthenticator) {}

  afterInit(namespace: EventsNamespace): void {
    namespace.use(this.authenticator.middleware);
  }

  handleConnection(socket: EventsSocket): void {
    void socket.join([userRoom(socket.data.userId), roleRoom(socket.data.role)]);
  }

  /** Emits to the rooms' sockets on every instance (through the Redis adapter). */
  emit(rooms: string[], event: string, payload: unknown): void {
    if (!this.namespace) throw new Error('the realtime gateway is not initialized');
    this.namespace.to(rooms).emit(event, payload);
  }
}
