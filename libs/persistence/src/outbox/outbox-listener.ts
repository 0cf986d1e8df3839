import { type Logger } from '@nestjs/common';
import pg from 'pg';
import { type DataSourceOptions } from 'typeorm';
import { type DatabaseConfig } from '../config/database-config.js';
import { directConnectionFor } from '../config/direct-connection.js';
import { dataSourceConnection } from '../data-source/data-source-options.js';
import { OUTBOX_NOTIFY_CHANNEL } from './outbox-notify.js';

/** The listener's name in pg_stat_activity. */
export const OUTBOX_LISTENER_APPLICATION_NAME = 'mas-outbox-listener';

const LISTEN_SQL = `LISTEN ${pg.escapeIdentifier(OUTBOX_NOTIFY_CHANNEL)}`;
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

/**
 * One dedicated connection (outside the pool) that LISTENs for outbox notifications and calls
 * `wake` for each. It also calls `wake` when it connects and when it loses its connection: rows
 * committed while nobody listened were not announced, and the relay must poll at its short
 * interval until the listener is back. Reconnects with exponential backoff until closed.
 *
 * `pause` stops listening while the connection stays: Postgres then no longer wakes this session
 * on every notifying commit, which under load costs the database more than the relay's polls.
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
    private readonly wake: () => void,
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
  pause(): Promise<void> {
    if (this.unlistened || !this.listening) return Promise.resolve();
    this.unlistened = true;
    return this.send('UNLISTEN *');
  }

  /**
   * Listens again. Resolves once LISTEN has taken effect, so a claim begun after it sees every row
   * whose commit was not announced to this session.
   */
  resume(): Promise<void> {
    if (!this.unlistened) return Promise.resolve();
    this.unlistened = false;
    return this.send(LISTEN_SQL);
  }

  /** A statement that fails counts as a lost connection, as a failed LISTEN at connect does. */
  private async send(statement: string): Promise<void> {
    const client = this.client;
    await client?.query(statement).catch((error: Error) => this.lost(client, error));
  }

  start(): void {
    void this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.listening = false;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.clientConfig);
    this.client = client;
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', () => this.wake());
    try {
      await client.connect();
      if (!this.unlistened) await client.query(LISTEN_SQL);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (client !== this.client) return;
    if (this.failures) this.logger.log('outbox listener reconnected');
    this.failures = 0;
    this.listening = true;
    this.wake();
  }

  private lost(client: pg.Client, error?: Error): void {
    if (client !== this.client) return;
    this.client = undefined;
    this.listening = false;
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.wake();
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** this.failures++);
    this.logger.warn(
      `outbox listener lost its connection (${error?.message ?? 'closed'}); polling every ` +
        `OUTBOX_POLL_MS, reconnecting in ${delay} ms`,
    );
    this.retry = setTimeout(() => void this.connect(), delay);
    this.retry.unref();
  }
}
