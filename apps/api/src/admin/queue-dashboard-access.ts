import { Injectable } from '@nestjs/common';
import { type IssuedScopedToken, TokenService, User, UserRole } from '@mas/identity';
import { UsedTickets } from './used-tickets.js';

export const DASHBOARD_TICKET_TTL_SECONDS = 60;
export const DASHBOARD_SESSION_TTL_SECONDS = 15 * 60;
const TICKET_AUDIENCE = 'mas:queue-dashboard:ticket';
const SESSION_AUDIENCE = 'mas:queue-dashboard:session';

/** Whether a request may see the dashboard, and if not, why. */
export type DashboardVerdict = 'allowed' | 'unauthenticated' | 'forbidden' | 'unavailable';

export type TicketRedemption =
  | { verdict: 'allowed'; session: IssuedScopedToken }
  | { verdict: Exclude<DashboardVerdict, 'allowed'> };

/**
 * Who may see the queue dashboard: an active admin by bearer token, or by a session obtained by
 * redeeming a one-time ticket. Every check loads the user, so deactivation, demotion and token
 * revocation apply at once.
 */
@Injectable()
export class QueueDashboardAccess {
  constructor(
    private readonly tokens: TokenService,
    private readonly usedTickets: UsedTickets,
  ) {}

  /** A ticket for one visit; `ttlSeconds` other than the default is for tests. */
  issueTicket(admin: User, ttlSeconds = DASHBOARD_TICKET_TTL_SECONDS): Promise<IssuedScopedToken> {
    return this.tokens.issueScoped(admin, TICKET_AUDIENCE, ttlSeconds);
  }

  /** Trades a valid, unused ticket of an admin for a session; the ticket is spent either way. */
  async redeemTicket(ticket: string): Promise<TicketRedemption> {
    const found = await this.tokens.authenticateScoped(ticket, TICKET_AUDIENCE);
    if (!found) return { verdict: 'unauthenticated' };
    let first: boolean;
    try {
      first = await this.usedTickets.claim(found.claims.jti, new Date(found.claims.exp * 1000));
    } catch {
      // Without Redis nobody can tell whether the ticket was used: refuse it, but not as invalid.
      return { verdict: 'unavailable' };
    }
    if (!first) return { verdict: 'unauthenticated' };
    if (found.user.role !== UserRole.Admin) return { verdict: 'forbidden' };
    const session = await this.tokens.issueScoped(
      found.user,
      SESSION_AUDIENCE,
      DASHBOARD_SESSION_TTL_SECONDS,
    );
    return { verdict: 'allowed', session };
  }

  async bySession(session: string): Promise<DashboardVerdict> {
    const found = await this.tokens.authenticateScoped(session, SESSION_AUDIENCE);
    return verdictFor(found?.user ?? null);
  }

  async byBearer(token: string | undefined): Promise<DashboardVerdict> {
    return verdictFor(await this.tokens.authenticate(token, { fresh: true }));
  }
}

function verdictFor(user: User | null): DashboardVerdict {
  if (!user) return 'unauthenticated';
  return user.role === UserRole.Admin ? 'allowed' : 'forbidden';
}
