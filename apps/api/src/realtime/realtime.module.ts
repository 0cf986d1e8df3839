import { type DynamicModule, Module } from '@nestjs/common';
import { RealtimeReplay } from '@mas/persistence';
import { type AppConfig } from '../config/app-config.js';
import { EventsGateway } from './events.gateway.js';
import { RealtimeDispatcher } from './realtime.dispatcher.js';
import { RealtimeRedis } from './realtime-redis.js';
import { SocketAuthenticator } from './socket-authenticator.js';
import { SocketCap } from './socket-cap.js';
import { SocketSlots } from './socket-slots.js';

/**
 * The Socket.IO gateway (`/socket.io`, namespace `/events`) and the dispatcher of realtime outbox
 * rows. Only processes serving the API run them; a worker has neither.
 */
@Module({})
export class RealtimeModule {
  static forRoot(config: Pick<AppConfig, 'appRole'>): DynamicModule {
    if (config.appRole === 'worker') return { module: RealtimeModule };
    return {
      module: RealtimeModule,
      providers: [
        RealtimeRedis,
        SocketAuthenticator,
        SocketSlots,
        SocketCap,
        EventsGateway,
        RealtimeDispatcher,
        RealtimeReplay,
      ],
    };
  }
}
