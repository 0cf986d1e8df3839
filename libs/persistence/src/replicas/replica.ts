import { DataSource, type EntityManager } from 'typeorm';
import { withTimeout } from '../async/with-timeout.js';
import { type PostgresDataSourceOptions } from '../data-source/data-source-options.js';
import { parseWalPosition, type WalPosition } from './wal-position.js';

export type ReplicaStatus = 'up' | 'lagging' | 'down';

export interface ReplicaState {
  name: string;
  status: ReplicaStatus;
  /** Milliseconds behind the primary at the last check; null when it could not be read. */
  lagMs: number | null;
  /** The last WAL position the replica had replayed at the last check. */
  replayed: WalPosition | null;
  error?: string;
}

interface ReplayRow {
  standby: boolean;
  replayed: string | null;
  replay_age_ms: number | null;
}

/**
 * One streaming replica: its own pool (opened lazily, so a replica that is down at boot does not
 * stop the boot) and what its last check saw. Reads go to it only while `status` is `up`.
 */
export class Replica {
  private dataSource: DataSource | null = null;
  private connecting: Promise<DataSource> | undefined;
  private state: ReplicaState;

  constructor(
    readonly name: string,
    private readonly options: PostgresDataSourceOptions,
    private readonly maxLagMs: number,
  ) {
    this.state = { name, status: 'down', lagMs: null, replayed: null, error: 'not checked yet' };
  }

  get current(): ReplicaState {
    return this.state;
  }

  get manager(): EntityManager {
    if (!this.dataSource) throw new Error(`replica ${this.name} is not connected`);
    return this.dataSource.manager;
  }

  /** Has it replayed `position` (as of its last check)? */
  hasReplayed(position: WalPosition): boolean {
    return this.state.replayed !== null && this.state.replayed >= position;
  }

  /**
   * Reads the replica's replay position. Its lag is 0 when it has replayed all the primary had
   * written just before; otherwise the age of the last transaction it replayed.
   */
  async check(primaryPosition: WalPosition, timeoutMs: number): Promise<void> {
    try {
      // Connecting counts against the timeout too: a replica that does not answer at all must not
      // hold up the next round of checks.
      const [row] = await withTimeout(
        this.connected().then((source) =>
          source.query<ReplayRow[]>(
            `SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed,
                    (extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::float8 AS replay_age_ms`,
          ),
        ),
        timeoutMs,
      );
      if (!row.standby || !row.replayed) {
        this.state = { ...this.state, status: 'down', error: 'not a streaming replica' };
        return;
      }
      const replayed = parseWalPosition(row.replayed);
      const lagMs =
        replayed >= primaryPosition ? 0 : Math.max(0, Math.round(row.replay_age_ms ?? Infinity));
      this.state = {
        name: this.name,
        status: lagMs > this.maxLagMs ? 'lagging' : 'up',
        lagMs,
        replayed,
      };
    } catch (error) {
      this.markDown(error);
    }
  }

  /** Skipped until the next check that reaches it. */
  markDown(error: unknown): void {
    this.state = {
      ...this.state,
      status: 'down',
      lagMs: null,
      error: error instanceof Error ? error.message : String(error),
    };
  }

  async close(): Promise<void> {
    await this.connecting?.catch(() => undefined);
    const source = this.dataSource;
    this.dataSource = null;
    if (source?.isInitialized) await source.destroy();
  }

  /** One pool, opened on first use; a failed opening is tried again at the next check. */
  private connected(): Promise<DataSource> {
    if (this.dataSource) return Promise.resolve(this.dataSource);
    this.connecting ??= new DataSource(this.options)
      .initialize()
      .then((source) => (this.dataSource = source))
      .finally(() => (this.connecting = undefined));
    return this.connecting;
  }
}
