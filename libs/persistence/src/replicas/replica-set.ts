import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type DatabaseConfig, type DatabaseConnection } from '../config/database-config.js';
import { type PostgresDataSourceOptions } from '../data-source/data-source-options.js';
import { DATABASE_CONFIG } from '../persistence.tokens.js';
import { Replica } from './replica.js';
import { replicaName } from './replica-config.js';
import { parseWalPosition, type WalPosition } from './wal-position.js';

/**
 * The configured read replicas, checked every DB_REPLICA_CHECK_MS against the primary's WAL
 * position. `pick` names a replica that is up, within DB_REPLICA_MAX_LAG_MS and (when asked) has
 * replayed a given position, taking turns among those that qualify.
 */
@Injectable()
export class ReplicaSet implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReplicaSet.name);
  readonly replicas: readonly Replica[];
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private turn = 0;

  constructor(
    @Inject(DATABASE_CONFIG) private readonly config: DatabaseConfig,
    private readonly primary: DataSource,
  ) {
    const options = primary.options as PostgresDataSourceOptions;
    this.replicas = config.replicas.connections.map(
      (connection) =>
        new Replica(
          replicaName(connection),
          replicaOptions(options, connection),
          config.replicas.maxLagMs,
        ),
    );
  }

  get enabled(): boolean {
    return this.replicas.length > 0;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    void this.checkAll();
    this.timer = setInterval(() => void this.checkAll(), this.config.replicas.checkIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
    await Promise.all(this.replicas.map((replica) => replica.close()));
  }

  get anyUp(): boolean {
    return this.replicas.some((replica) => replica.current.status === 'up');
  }

  pick(mustHaveReplayed: WalPosition | null): Replica | null {
    const count = this.replicas.length;
    for (let offset = 0; offset < count; offset++) {
      const replica = this.replicas[(this.turn + offset) % count];
      if (replica.current.status !== 'up') continue;
      if (mustHaveReplayed !== null && !replica.hasReplayed(mustHaveReplayed)) continue;
      this.turn = (this.turn + offset + 1) % count;
      return replica;
    }
    return null;
  }

  /** One round of checks; a round still running is joined, not doubled. */
  checkAll(): Promise<void> {
    this.checking ??= this.runChecks().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async runChecks(): Promise<void> {
    let primaryPosition: WalPosition;
    try {
      const [row] = await this.primary.query<{ position: string }[]>(
        'SELECT pg_current_wal_lsn()::text AS position',
      );
      primaryPosition = parseWalPosition(row.position);
    } catch (error) {
      // Without the primary's position no lag can be judged; the replicas keep their last state.
      this.logger.warn(`replica check skipped: the primary did not answer (${String(error)})`);
      return;
    }
    // Generous: a busy machine must not make a healthy replica look down (reads would leave it).
    const timeoutMs = Math.max(this.config.replicas.checkIntervalMs, 3000);
    await Promise.all(
      this.replicas.map(async (replica) => {
        const before = replica.current.status;
        await replica.check(primaryPosition, timeoutMs);
        const after = replica.current;
        if (after.status !== before)
          this.logger.log(
            `replica ${replica.name}: ${before} → ${after.status}` +
              (after.error ? ` (${after.error})` : ` (lag ${after.lagMs} ms)`),
          );
      }),
    );
  }
}

/** The primary's options pointed at a replica: no migrations, subscribers or pool floor. */
function replicaOptions(
  primary: PostgresDataSourceOptions,
  connection: DatabaseConnection,
): PostgresDataSourceOptions {
  return {
    ...primary,
    host: connection.host,
    port: connection.port,
    username: connection.username,
    password: connection.password,
    database: connection.database,
    migrations: [],
    subscribers: [],
    extra: {
      ...(primary.extra as Record<string, unknown>),
      min: 0,
      application_name: 'mas-backend-replica-reads',
    },
  };
}
