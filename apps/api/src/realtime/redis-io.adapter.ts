import { INestApplication } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { RealtimeRedis } from './realtime-redis.js';

// Nest's own socket.io copy, which may differ from the top-level one.
type IoServerOptions = Parameters<IoAdapter['createIOServer']>[1];
type IoServer = ReturnType<IoAdapter['createIOServer']>;

/**
 * Socket.IO on the HTTP server, with the Redis adapter so that an event emitted on one instance
 * reaches the clients connected to the others. The Redis connections belong to RealtimeRedis,
 * resolved only when a gateway creates its server (processes without the gateway never need it).
 */
export class RedisIoAdapter extends IoAdapter {
  constructor(private readonly app: INestApplication) {
    super(app);
  }

  override createIOServer(port: number, options?: IoServerOptions): IoServer {
    const redis = this.app.get(RealtimeRedis);
    const server = super.createIOServer(port, options);
    server.adapter(createAdapter(redis.pub, redis.sub, { key: redis.channelPrefix }));
    return server;
  }
}
