import { type Env, EnvReader } from '@mas/persistence';

export interface RealtimeSettings {
  /** Open sockets one user may hold, counted across every API instance (SOCKETS_PER_USER_MAX). */
  socketsPerUserMax: number;
  /**
   * How long a socket's slot lives without renewal (SOCKET_SLOT_LEASE_MS). Instances renew their
   * sockets' slots every third of it, so the slots of a crashed instance are free after at most this.
   */
  socketSlotLeaseMs: number;
}

export function loadRealtimeSettings(env: Env): RealtimeSettings {
  const read = new EnvReader(env);
  return {
    socketsPerUserMax: read.int('SOCKETS_PER_USER_MAX', 10, { min: 1, max: 1000 }),
    socketSlotLeaseMs: read.int('SOCKET_SLOT_LEASE_MS', 60_000, { min: 1000, max: 3_600_000 }),
  };
}
