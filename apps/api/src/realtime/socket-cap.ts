import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { userRoom } from '@mas/persistence';
import type { ExtendedError } from 'socket.io';
import type { EventsNamespace, EventsSocket } from './events-socket.js';
import { SocketSlots } from './socket-slots.js';

export const TOO_MANY_SOCKETS_MESSAGE =
  'too many open connections for this user: close one and retry';

/**
 * At most SOCKETS_PER_USER_MAX open sockets per user across all instances. A handshake beyond the
 * cap is refused (`connect_error` with TOO_MANY_SOCKETS_MESSAGE and `data.max`) rather than evicting
 * the oldest socket: eviction would let a leaked token push its owner's sessions out, and two
 * auto-reconnecting clients would evict each other forever.
 *
 * While Redis is unavailable the cap is applied per instance (its own sockets of the user), and the
 * sockets admitted meanwhile are recorded by the next renewal once Redis is back.
 */
@Injectable()
export class SocketCap implements OnApplicationShutdown {
  private readonly logger = new Logger('Realtime');
  private renewal?: NodeJS.Timeout;

  constructor(private readonly slots: SocketSlots) {}

  /** Installs the cap on the namespace; its middleware must run after authentication. */
  attach(namespace: EventsNamespace): void {
    namespace.use((socket, next) => this.middleware(namespace, socket, next));
    this.renewal = setInterval(() => void this.renewAll(namespace), this.slots.leaseMs / 3);
    this.renewal.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.renewal);
  }

  private middleware(
    namespace: EventsNamespace,
    socket: EventsSocket,
    next: (error?: ExtendedError) => void,
  ): void {
    this.admit(namespace, socket).then(
      (admitted) => {
        if (admitted) return next();
        const refusal: ExtendedError = new Error(TOO_MANY_SOCKETS_MESSAGE);
        refusal.data = { max: this.slots.max };
        next(refusal);
      },
      (error: unknown) => next(error as Error),
    );
  }

  private async admit(namespace: EventsNamespace, socket: EventsSocket): Promise<boolean> {
    const { userId } = socket.data;
    const admitted = this.slots.isAvailable()
      ? await this.slots.claim(userId, socket.id).catch((error: unknown) => {
          this.logger.warn(
            `socket slot claim failed, counting locally: ${(error as Error).message}`,
          );
          return this.admitLocally(namespace, userId);
        })
      : this.admitLocally(namespace, userId);
    if (admitted) socket.once('disconnect', () => void this.release(userId, socket.id));
    return admitted;
  }

  private admitLocally(namespace: EventsNamespace, userId: string): boolean {
    return (namespace.adapter.rooms.get(userRoom(userId))?.size ?? 0) < this.slots.max;
  }

  private async release(userId: string, socketId: string): Promise<void> {
    // A slot that cannot be released now expires with its lease.
    await this.slots.release(userId, socketId).catch(() => undefined);
  }

  private async renewAll(namespace: EventsNamespace): Promise<void> {
    if (!this.slots.isAvailable()) return;
    const byUser = new Map<string, string[]>();
    for (const socket of namespace.sockets.values()) {
      const ids = byUser.get(socket.data.userId) ?? [];
      ids.push(socket.id);
      byUser.set(socket.data.userId, ids);
    }
    const renewals = [...byUser].map(([userId, ids]) => this.slots.renew(userId, ids));
    const failed = (await Promise.allSettled(renewals)).filter((r) => r.status === 'rejected');
    if (failed.length) this.logger.warn(`socket slot renewal failed for ${failed.length} users`);
  }
}
