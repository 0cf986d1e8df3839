import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import { OutboxChannel, OutboxMessage, OutboxRelay, SESSION_REVOKED } from '@mas/persistence';
import { eventBody } from './event-body.js';
import { EventsGateway } from './events.gateway.js';
import { RealtimeRedis } from './realtime-redis.js';

/** How long a dispatch waits for Redis to confirm the broadcast before the row is retried. */
const PUBLISH_CONFIRM_TIMEOUT_MS = 2000;

/**
 * Sends committed realtime outbox rows to their rooms on every instance. Throwing leaves the row
 * pending for a retry: while Redis cannot carry the event to the other instances nothing is sent
 * (not even to this instance's clients, who would get it twice on the retry). Delivery is at least
 * once: a broadcast that Redis does not confirm in time is sent again, with the same `id`.
 *
 * `session.revoked` also disconnects its audience's sockets on every instance, after they received
 * it: the client learns why, and its reconnect is authenticated against the user's current state.
 *
 * At shutdown the relay stops first (what it sent went to sockets still open), then this instance's
 * clients are handed over to the others; the pool closes only after both.
 */
@Injectable()
export class RealtimeDispatcher implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Realtime');

  constructor(
    private readonly relay: OutboxRelay,
    private readonly gateway: EventsGateway,
    private readonly redis: RealtimeRedis,
  ) {}

  onModuleInit(): void {
    this.relay.register(OutboxChannel.Realtime, (message) => this.dispatch(message));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    const sockets = this.gateway.handOver();
    this.logger.log(`shutting down: ${sockets} sockets told to reconnect elsewhere`);
  }

  async dispatch(message: OutboxMessage): Promise<void> {
    // An empty room list would mean "everyone" to Socket.IO.
    if (!message.audience.length) return;
    if (!this.redis.isReady())
      throw new Error('redis is not ready: the event cannot reach the other instances');
    this.gateway.emit(message.audience, message.topic, eventBody(message.id, message.payload));
    if (message.topic === SESSION_REVOKED) this.gateway.disconnect(message.audience);
    await this.redis.confirmPublished(PUBLISH_CONFIRM_TIMEOUT_MS);
  }
}
