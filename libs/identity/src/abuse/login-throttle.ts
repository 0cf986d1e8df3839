import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { IDENTITY_CONFIG, type IdentityConfig } from '../identity.config.js';
import { AbuseCounters } from './abuse-counters.js';
import { tooMany } from './too-many-requests.js';

/**
 * Login limits, shared across instances:
 * - every attempt per address (a high ceiling: a classroom behind one NAT logs in together);
 * - failures per address (one address guessing across many accounts);
 * - failures per account, from any address. The account's slot is taken BEFORE the password is
 *   checked and given back on success (or when the check could not run), so concurrent guesses cannot overshoot the limit. The lock
 *   applies to everyone, the owner included, until the window ends: telling the owner apart would
 *   need a second factor.
 */
@Injectable()
export class LoginThrottle {
  private readonly limits: IdentityConfig['abuse'];

  constructor(
    private readonly counters: AbuseCounters,
    @Inject(IDENTITY_CONFIG) config: IdentityConfig,
  ) {
    this.limits = config.abuse;
  }

  /** Throws 429 (with Retry-After) when this attempt may not even be checked. */
  async admit(email: string, address: string): Promise<void> {
    const { loginPerAddress, loginFailuresPerAddress, loginFailuresPerAccount } = this.limits;
    const attempts = await this.counters.hit(keys.attempts(address), loginPerAddress.windowMs);
    if (attempts.count > loginPerAddress.limit) {
      throw tooMany('too many login attempts from this address', attempts);
    }
    const addressFailures = await this.counters.peek(keys.addressFailures(address));
    if (addressFailures.count >= loginFailuresPerAddress.limit) {
      throw tooMany('too many failed logins from this address', addressFailures);
    }
    const accountFailures = await this.counters.hit(
      keys.accountFailures(email),
      loginFailuresPerAccount.windowMs,
    );
    if (accountFailures.count > loginFailuresPerAccount.limit) {
      throw tooMany('too many failed logins for this account', accountFailures);
    }
  }

  /** Gives the account's slot back: the password was right, or it was never checked. */
  async release(email: string): Promise<void> {
    await this.counters.refund(keys.accountFailures(email));
  }

  async failed(address: string): Promise<void> {
    await this.counters.hit(
      keys.addressFailures(address),
      this.limits.loginFailuresPerAddress.windowMs,
    );
  }
}

const keys = {
  attempts: (address: string) => `login:address:${address}`,
  addressFailures: (address: string) => `login-failures:address:${address}`,
  // Hashed: no email addresses in Redis.
  accountFailures: (email: string) =>
    `login-failures:account:${createHash('sha256').update(email).digest('base64url')}`,
};
