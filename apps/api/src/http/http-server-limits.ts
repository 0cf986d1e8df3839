import type { Server } from 'node:http';
import { type HttpLimits } from '../config/http-limits-config.js';

/**
 * Sets the limits on a server before it listens. Node checks the header and request timeouts only
 * every `connectionsCheckingInterval` (30 s by default), which would let a slow client hold a
 * connection for up to twice the timeout; checking at a quarter of the shorter timeout (at most
 * once a second) keeps the overshoot small.
 */
export function applyHttpServerLimits(server: Server, limits: HttpLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  const shorter = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  // Missing from @types/node's Server, but Node reads it when the server starts listening.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    Math.min(1000, Math.max(10, Math.floor(shorter / 4)));
}
