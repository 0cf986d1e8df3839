import { unavailabilityOf } from '../errors/dependency-unavailable.js';
import { PgCode, postgresErrorOf } from '../errors/postgres-errors.js';

/**
 * Should a read that failed on a replica be repeated on the primary? Yes when the replica is busy
 * or gone, and when it cancelled the query for a conflict with recovery (40001 on a standby).
 */
export function isReplicaUnavailableError(error: unknown): boolean {
  return (
    unavailabilityOf(error) !== null || postgresErrorOf(error)?.code === PgCode.serializationFailure
  );
}
