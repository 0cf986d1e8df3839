import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { ServerBusyError } from '@mas/domain-errors';
import type { User } from '../entities/user.entity.js';
import { IDENTITY_CONFIG, type IdentityConfig } from '../identity.config.js';

interface Entry {
  user: Promise<User | null>;
  expiresAt: number;
  loaded: boolean;
}

/** Enough for every user active within a TTL on one instance; the oldest entry goes first. */
const MAX_ENTRIES = 50_000;

/**
 * The users authenticated requests name, kept for AUTH_CACHE_TTL_MS so a request does not read its
 * user row again. A change made through this instance (deactivation, role change, revocation)
 * evicts the user at once; on other instances it applies when the entry expires. Concurrent
 * requests for one user share one load, and a load that began before an eviction is not kept.
 */
@Injectable()
export class AuthenticatedUsers {
  private readonly entries = new Map<string, Entry>();
  private readonly evictions = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly loadWaitMs: number;

  constructor(@Inject(IDENTITY_CONFIG) config: IdentityConfig) {
    this.ttlMs = config.authCacheTtlMs;
    this.loadWaitMs = config.authLoadWaitMs;
  }

  get(id: string, load: () => Promise<User | null>): Promise<User | null> {
    if (this.ttlMs === 0) return load();
    const now = Date.now();
    const cached = this.entries.get(id);
    if (cached && cached.expiresAt > now)
      return cached.loaded ? cached.user : this.joined(cached.user);
    const generation = this.evictions.get(id) ?? 0;
    const user = load();
    const entry = { user, expiresAt: now + this.ttlMs, loaded: false };
    this.entries.delete(id);
    this.entries.set(id, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    user.then(
      (loaded) => {
        entry.loaded = true;
        if ((this.evictions.get(id) ?? 0) !== generation) this.forget(id, user);
        else if (!loaded) this.forget(id, user);
      },
      () => this.forget(id, user),
    );
    return user;
  }

  /** After a committed change to the user: the next request reads the row again. */
  evict(id: string): void {
    this.entries.delete(id);
    this.evictions.set(id, (this.evictions.get(id) ?? 0) + 1);
    if (this.evictions.size > MAX_ENTRIES) this.evictions.clear();
  }

  /**
   * Another request's load of the row, waited for no longer than a pooled connection would be: a
   * stalled database must shed these requests too, not hold all of one user's requests.
   */
  private async joined(user: Promise<User | null>): Promise<User | null> {
    const gaveUp = new AbortController();
    const timeout = sleep(this.loadWaitMs, undefined, { signal: gaveUp.signal }).then(() => {
      throw new ServerBusyError('the database is busy, retry later', 1);
    });
    try {
      return await Promise.race([user, timeout]);
    } finally {
      gaveUp.abort();
      timeout.catch(() => undefined);
    }
  }

  private forget(id: string, user: Promise<User | null>): void {
    if (this.entries.get(id)?.user === user) this.entries.delete(id);
  }
}
