import { Inject, Injectable } from '@nestjs/common';
import { IDENTITY_CONFIG, type IdentityConfig, type RateLimit } from '../identity.config.js';
import { AbuseCounters } from './abuse-counters.js';
import { tooMany } from './too-many-requests.js';

/** Registrations per address, every attempt counted (a duplicate too), shared across instances. */
@Injectable()
export class RegisterThrottle {
  private readonly limit: RateLimit;

  constructor(
    private readonly counters: AbuseCounters,
    @Inject(IDENTITY_CONFIG) config: IdentityConfig,
  ) {
    this.limit = config.abuse.registerPerAddress;
  }

  /** Throws 429 (with Retry-After) beyond the limit. */
  async admit(address: string): Promise<void> {
    const window = await this.counters.hit(`register:address:${address}`, this.limit.windowMs);
    if (window.count > this.limit.limit) {
      throw tooMany('too many registrations from this address', window);
    }
  }
}
