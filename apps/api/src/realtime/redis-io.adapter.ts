import { type INestApplication } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { isAllowedOrigin } from '../config/cors-origins-config.js';
import { corsOptions } from '../http/cors.js';
import { RealtimeRedis } from './realtime-redis.js';

// Nest's own socket.io copy, which may differ from the top-level one.
type IoServerOptions = Parameters<IoAdapter['createIOServer']>[1];
type IoServer = ReturnType<IoAdapter['createIOServer']>;

/**
 * Socket.IO on the HTTP server, with the Redis adapter so that an event emitted on one instance
 * reaches the clients connected to the others. The Redis connections belong to RealtimeRedis,
 * resolved only when a gateway creates its server (processes without the gateway never need it).
 *
 * Origins follow CORS_ORIGINS as the HTTP API does. CORS covers only polling; a browser opens a
 * WebSocket from any page, so a handshake whose Origin is not allowed is refused outright. Clients
 * that send no Origin (not browsers) are let through to the token check.
 */
export class RedisIoAdapter extends IoAdapter {
  constructor(private readonly app: INestApplication) {
    super(app);
  }

  override createIOServer(port: number, options?: IoServerOptions): IoServer {
    const redis = this.app.get(RealtimeRedis);
    const { corsOrigins } = this.app.get<AppConfig>(APP_CONFIG);
    // Partial when Nest passes no options: Socket.IO fills in its defaults (path and the rest).
    const server = super.createIOServer(port, {
      ...options,
      cors: corsOptions(corsOrigins),
      allowRequest: (request, callback) => {
        const { origin } = request.headers;
        callback(null, origin === undefined || isAllowedOrigin(corsOrigins, origin));
      },
    } as IoServerOptions);
    server.adapter(createAdapter(redis.pub, redis.sub, { key: redis.channelPrefix }));
    return server;
  }
}
