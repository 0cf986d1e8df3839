import pg from 'pg';

/**
 * The pool's pg Client: it always hears its own 'error' events. pg-pool listens while a client
 * is idle, and TypeORM's query runner while it holds one, but not in between: the pool hands a
 * new connection over from the parse loop of its startup's ReadyForQuery, and TypeORM attaches
 * its listener a microtask later. A FATAL in the same TCP read (a server shutting down as the
 * connection opens) was emitted unheard, which crashes the process. After such an error pg marks
 * the client unusable, its query fails, and the pool drops it when it is released.
 */
export class GuardedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}
