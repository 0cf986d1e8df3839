import { ConfigError } from '../config/config-error.js';
import { type DatabaseConnection } from '../config/database-connection.js';
import { type EnvReader } from '../config/env-reader.js';

export interface ReplicaConfig {
  /** Streaming replicas that serve reads which may be slightly stale (DB_READ_URLS); empty: off. */
  connections: DatabaseConnection[];
  /** A replica further behind than this is skipped until it catches up (DB_REPLICA_MAX_LAG_MS). */
  maxLagMs: number;
  /** How often each replica's replay position and lag are read (DB_REPLICA_CHECK_MS). */
  checkIntervalMs: number;
  /**
   * How long a caller's last write position is kept: past it, any replica within maxLagMs has
   * replayed the write (twice maxLagMs, at least 10 s).
   */
  writePositionTtlMs: number;
}

export function readReplicaConfig(
  connections: DatabaseConnection[],
  read: EnvReader,
): ReplicaConfig {
  const names = new Set(connections.map(replicaName));
  if (names.size !== connections.length)
    throw new ConfigError('DB_READ_URLS', 'names the same replica twice');
  const maxLagMs = read.int('DB_REPLICA_MAX_LAG_MS', 5_000, { min: 1, max: 3_600_000 });
  return {
    connections,
    maxLagMs,
    checkIntervalMs: read.int('DB_REPLICA_CHECK_MS', 1_000, { min: 10, max: 600_000 }),
    writePositionTtlMs: Math.max(10_000, 2 * maxLagMs),
  };
}

/** host:port/database: how health, metrics and logs name a replica (never its credentials). */
export function replicaName(connection: DatabaseConnection): string {
  return `${connection.host}:${connection.port}/${connection.database}`;
}
