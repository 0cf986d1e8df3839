import { type WalPosition } from './wal-position.js';

/**
 * Where each caller's last committed write is kept, so that their next reads, on any instance,
 * go only to a replica that has replayed it. The app registers a shared store (Redis) at boot.
 */
export interface WritePositions {
  record(callerId: string, position: WalPosition): Promise<void>;
  /** The caller's last recorded write, or null when none is recent enough to matter. */
  lastOf(callerId: string): Promise<WalPosition | null>;
}

/** One instance's memory: right only for a single instance (lib specs, tools). */
export class LocalWritePositions implements WritePositions {
  private readonly positions = new Map<string, { position: WalPosition; until: number }>();

  constructor(private readonly ttlMs: number) {}

  record(callerId: string, position: WalPosition): Promise<void> {
    const previous = this.positions.get(callerId)?.position ?? 0n;
    this.positions.delete(callerId);
    this.positions.set(callerId, {
      position: position > previous ? position : previous,
      until: Date.now() + this.ttlMs,
    });
    this.evictExpired();
    return Promise.resolve();
  }

  lastOf(callerId: string): Promise<WalPosition | null> {
    const entry = this.positions.get(callerId);
    return Promise.resolve(entry && entry.until > Date.now() ? entry.position : null);
  }

  /** Entries are kept in insertion order, so the expired ones are at the front. */
  private evictExpired(): void {
    const now = Date.now();
    for (const [callerId, entry] of this.positions) {
      if (entry.until > now) break;
      this.positions.delete(callerId);
    }
  }
}
