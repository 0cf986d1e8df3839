import { Injectable } from '@nestjs/common';
import type { RequestHandler } from 'express';
import { Server as HttpServer } from 'node:http';
import { Server as NetServer } from 'node:net';

/**
 * Whether this instance has begun to shut down. From that moment readiness answers 503, so a load
 * balancer stops sending new work, and every response closes its connection, so a client holding
 * a keep-alive connection opens its next one elsewhere instead of reaching a server about to go.
 */
@Injectable()
export class Draining {
  private started = false;

  begin(): void {
    this.started = true;
  }

  get active(): boolean {
    return this.started;
  }
}

export function closeConnectionsWhileDraining(draining: Draining): RequestHandler {
  return (_request, response, next) => {
    if (draining.active) response.setHeader('Connection', 'close');
    next();
  };
}

/**
 * Stops accepting connections but leaves the open ones alone. http.Server#close would also close
 * every idle keep-alive connection at once, racing a client that is sending on one (it gets a
 * reset); while draining, each open connection is closed after its next answer instead.
 */
export function stopAccepting(server: HttpServer): void {
  NetServer.prototype.close.call(server);
}
