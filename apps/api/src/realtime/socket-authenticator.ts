import { Injectable, Logger } from '@nestjs/common';
import { TokenService } from '@mas/identity';
import type { ExtendedError } from 'socket.io';
import type { EventsSocket, EventsSocketData } from './events-socket.js';

export const UNAUTHORIZED_MESSAGE = 'unauthorized: a valid access token is required';
export const AUTH_UNAVAILABLE_MESSAGE = 'authentication is unavailable, retry later';

/**
 * Namespace middleware: the handshake must carry a valid access token of an active user, either as
 * `auth: { token }` or as an `Authorization: Bearer` header. A refused connection never completes;
 * the client gets `connect_error` with the message.
 */
@Injectable()
export class SocketAuthenticator {
  private readonly logger = new Logger('Realtime');

  constructor(private readonly tokens: TokenService) {}

  readonly middleware = (socket: EventsSocket, next: (error?: ExtendedError) => void): void => {
    this.authenticate(socket).then(
      (data) => {
        if (!data) return next(new Error(UNAUTHORIZED_MESSAGE));
        socket.data = data;
        next();
      },
      (error: unknown) => {
        this.logger.warn(`socket authentication failed: ${(error as Error).message}`);
        next(new Error(AUTH_UNAVAILABLE_MESSAGE));
      },
    );
  };

  private async authenticate(socket: EventsSocket): Promise<EventsSocketData | null> {
    // Fresh: the gateway authenticates a joining socket twice to close a race with a revocation,
    // which only works when the second look reads the row.
    const user = await this.tokens.authenticate(handshakeToken(socket), { fresh: true });
    return user ? { userId: user.id, role: user.role } : null;
  }
}

function handshakeToken(socket: EventsSocket): string | undefined {
  const auth = socket.handshake.auth as Record<string, unknown>;
  const candidate =
    typeof auth.token === 'string' ? auth.token : socket.handshake.headers.authorization;
  return candidate?.match(/^(?:Bearer\s+)?(\S+)$/i)?.[1];
}
