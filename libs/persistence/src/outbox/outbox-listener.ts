import { type Logger } from '@nestjs/common';
import pg from 'pg';
import { type DataSourceOptions } from 'typeorm';
import { type DatabaseConfig } from '../config/database-config.js';
import { directConnectionFor } from '../config/direct-connection.js';
import { dataSourceConnection } from '../data-source/data-source-options.js';
import { OUTBOX_NOTIFY_CHANNEL } from './outbox-notify.js';

/** The listener's name in pg_stat_activity. */
export const OUTBOX_LISTENER_APPLICATION_NAME = 'mas-outbox-listener';

const CHANNEL = pg.escapeIdentifier(OUTBOX_NOTIFY_CHANNEL);
/** Also removes the rows of listeners whose backend is gone (they would keep writers notifying). */
const FORGET_SQL = `DELETE FROM outbox_listeners
  WHERE pid = pg_backend_pid() OR pid NOT IN (SELECT pid FROM pg_stat_activity)`;
/**
 * LISTEN and the registry row take effect in one commit; then the write transactions in flight,
 * any of which may have checked the registry before it and so not notified (one round trip).
 */
const REGISTER_SQL = `BEGIN; LISTEN ${CHANNEL}; ${FORGET_SQL};
  INSERT INTO outbox_listeners (pid) VALUES (pg_backend_pid()); COMMIT;
  SELECT coalesce(array_agg(xid::text), '{}') AS writers FROM pg_snapshot_xip(pg_current_snapshot()) xid`;
const UNREGISTER_SQL = `BEGIN; UNLISTEN *; ${FORGET_SQL}; COMMIT`;
const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5_000;

/**
 * A client on the data source's direct connection (LISTEN is session state, which a transaction
 * pooler would hand to other clients), with the pool's connection settings.
 */
export function listenerClientConfig(
  options: DataSourceOptions,
  config: DatabaseConfig,
): pg.ClientConfig {
  if (options.type !== 'postgres')
    throw new Error(`the outbox needs postgres, not ${options.type}`);
  const direct = directConnectionFor(config, dataSourceConnection(options));
  return {
    host: direct.host,
    port: direct.port,
    user: direct.username,
    password: direct.password,
    database: direct.database,
    // The data source's ssl is only ever false or { rejectUnauthorized: true } (buildDataSourceOptions).
    ssl: options.ssl as pg.ClientConfig['ssl'],
    connectionTimeoutMillis: options.connectTimeoutMS,
    // A peer that vanished without a FIN is noticed, so the relay goes back to polling fast.
    keepAlive: true,
    application_name: OUTBOX_LISTENER_APPLICATION_NAME,
  };
}

/** What the listener tells its relay. */
export interface OutboxListenerEvents {
  /** A notification came, or the connection came or went: rows may be due. */
  wake(): void;
  /**
   * The listener is registered (at connect and at resume), and these write transactions (ids)
   * were in flight then: rows they commit may come without a notification.
   */
  registered(inFlightWriters: string[]): void;
}

/**
 * One dedicated connection (outside the pool) that LISTENs for outbox notifications and calls
 * `wake` for each. It also calls `wake` when it connects and when it loses its connection: rows
 * committed while nobody listened were not announced, and the relay must poll at its short
 * interval until the listener is back. Reconnects with exponential backoff until closed.
 *
 * While it listens its backend is registered in `outbox_listeners`; writers notify only while
 * some listener is registered. `pause` stops listening and unregisters while the connection
 * stays: under load the relay polls, and neither this session nor any writer pays for a
 * notification per commit.
 */
export class OutboxListener {
  private client?: pg.Client;
  private closed = false;
  private failures = 0;
  private retry?: NodeJS.Timeout;
  private listening = false;
  private unlistened = false;

  constructor(
    private readonly clientConfig: pg.ClientConfig,
    private readonly events: OutboxListenerEvents,
    private readonly logger: Logger,
  ) {}

  /** True while notifications are sure to arrive: the relay may poll slowly. */
  get healthy(): boolean {
    return this.listening && !this.unlistened;
  }

  /** True between `pause` and `resume`. */
  get paused(): boolean {
    return this.unlistened;
  }

  /** Stops listening (the relay polls meanwhile). */
  async pause(): Promise<void> {
    if (this.unlistened || !this.listening) return;
    this.unlistened = true;
    await this.send(UNREGISTER_SQL);
  }

  /**
   * Listens again. Resolves once LISTEN has taken effect and `registered` was called, so a claim
   * begun after it sees every row whose commit was not announced, but those of the writers then
   * in flight.
   */
  async resume(): Promise<void> {
    if (!this.unlistened) return;
    this.unlistened = false;
    const client = this.client;
    if (client) await this.register(client).catch((error: Error) => this.lost(client, error));
  }

  /** A statement that fails counts as a lost connection, as a failed LISTEN at connect does. */
  private async send(statement: string): Promise<void> {
    const client = this.client;
    await client?.query(statement).catch((error: Error) => this.lost(client, error));
  }

  private async register(client: pg.Client): Promise<void> {
    const results = (await client.query(REGISTER_SQL)) as unknown as pg.QueryResult[];
    const [{ writers }] = results[results.length - 1].rows as { writers: string[] }[];
    this.events.registered(writers);
  }

  start(): void {
    void this.connect();
  }

  /** Unregisters (writers stop notifying for this session) and disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    if (this.listening && !this.unlistened) await this.send(UNREGISTER_SQL);
    this.listening = false;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.clientConfig);
    this.client = client;
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', () => this.events.wake());
    try {
      await client.connect();
      if (!this.unlistened) await this.register(client);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (client !== this.client) return;
    if (this.failures) this.logger.log('outbox listener reconnected');
    this.failures = 0;
    this.listening = true;
    this.events.wake();
  }

  private lost(client: pg.Client, error?: Error): void {
    if (client !== this.client) return;
    this.client = undefined;
    this.listening = false;
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.events.wake();
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** this.failures++);
    this.logger.warn(
      `outbox listener lost its connection (${error?.message ?? 'closed'}); polling every ` +
        `OUTBOX_POLL_MS, reconnecting in ${delay} ms`,
    );
    this.retry = setTimeout(() => void this.connect(), delay);
    this.retry.unref();
  }
}
