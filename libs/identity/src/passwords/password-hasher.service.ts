import { Inject, Injectable } from '@nestjs/common';
import { ServerBusyError } from '@mas/domain-errors';
import { IDENTITY_CONFIG, type IdentityConfig } from '../identity.config.js';
import {
  hashPassword,
  needsRehash,
  type ScryptParams,
  scryptParams,
  verifyPassword,
} from './password-hasher.js';
import { PriorityWorkQueue, QueueFullError } from './priority-work-queue.js';

type Lane = 'login' | 'signup';

/**
 * scrypt with bounded concurrency (PASSWORD_HASH_CONCURRENCY) and bounded waiting
 * (PASSWORD_HASH_QUEUE_MAX per lane; beyond it 503 + Retry-After). Logins have their own lane:
 * new accounts may hold all slots but one, and a freed slot goes to a waiting login first, so a
 * registration flood cannot make logins queue behind it.
 */
@Injectable()
export class PasswordHasher {
  private readonly queue: PriorityWorkQueue<Lane>;
  private readonly params: ScryptParams;
  /** Verified against when the email is unknown, so both failures take the same time. */
  private decoyHash?: Promise<string>;

  constructor(@Inject(IDENTITY_CONFIG) config: IdentityConfig) {
    const { concurrency, queueMax, scryptLogN } = config.passwordHashing;
    this.params = scryptParams(scryptLogN);
    this.queue = new PriorityWorkQueue<Lane>(concurrency, queueMax, [
      { name: 'login', maxRunning: concurrency },
      { name: 'signup', maxRunning: Math.max(1, concurrency - 1) },
    ]);
  }

  /** A new hash (account creation). */
  hash(password: string): Promise<string> {
    return this.run('signup', () => hashPassword(password, this.params));
  }

  /** Checks a login's password; without a stored hash it spends the same time and answers false. */
  verify(password: string, stored: string | undefined): Promise<boolean> {
    return this.run('login', async () => {
      if (stored !== undefined) return verifyPassword(password, stored);
      this.decoyHash ??= hashPassword('decoy password', this.params);
      await verifyPassword(password, await this.decoyHash);
      return false;
    });
  }

  /**
   * The current-scheme hash of a password that just verified against an older one (first login
   * after the legacy import); in the login lane, as it is part of a login.
   */
  rehash(password: string): Promise<string> {
    return this.run('login', () => hashPassword(password, this.params));
  }

  needsRehash(stored: string): boolean {
    return needsRehash(stored, this.params);
  }

  private async run<T>(lane: Lane, task: () => Promise<T>): Promise<T> {
    try {
      return await this.queue.run(lane, task);
    } catch (error) {
      if (error instanceof QueueFullError) {
        throw new ServerBusyError('the server is busy checking passwords, retry shortly', 1);
      }
      throw error;
    }
  }
}
