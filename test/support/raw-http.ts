import { connect, type Socket } from 'node:net';

export interface RawExchange {
  /** Everything the server sent. */
  received: string;
  /** Milliseconds from connecting until the server closed the connection. */
  closedAfterMs: number;
}

/**
 * Opens a plain TCP connection, writes `head` at once and then one `drip` chunk per `everyMs`
 * until the server closes the connection (or `capMs` passes, then the client gives up).
 */
export function dripRequest(
  port: number,
  head: string,
  drip: { chunk: string; everyMs: number; capMs: number },
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const started = performance.now();
    let received = '';
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(head));
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(drip.chunk);
    }, drip.everyMs);
    const cap = setTimeout(() => socket.destroy(), drip.capMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(cap);
      resolve({ received, closedAfterMs: performance.now() - started });
    });
  });
}
