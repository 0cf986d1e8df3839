import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { User } from '../entities/user.entity.js';
import { UserRole } from '../entities/user-role.enum.js';
import { UsersService } from '../users/users.service.js';
import { AuthenticatedUsers } from './authenticated-users.js';
import { VerifiedTokens } from './verified-tokens.js';

export interface AccessTokenClaims {
  sub: string;
  role: UserRole;
  /** The user's token version when issued; a bump (deactivation, logout, revocation) kills it. */
  ver: number;
  exp: number;
}

/**
 * A short-lived token for one purpose (its `aud`), e.g. a queue dashboard ticket or session. Access
 * tokens carry no audience, so neither kind passes for the other.
 */
export interface ScopedTokenClaims {
  sub: string;
  ver: number;
  aud: string;
  /** Unique per token, for callers that accept a token once. */
  jti: string;
  exp: number;
}

export interface IssuedScopedToken {
  token: string;
  id: string;
  expiresAt: Date;
}

/**
 * Issues and checks access tokens and scoped tokens. `authenticate` is the one check every entry
 * point uses (HTTP guard, Socket.IO handshake, the queue dashboard), and `authenticateScoped`
 * applies the same user rules, so none of them can forget one.
 */
@Injectable()
export class TokenService {
  private readonly verified = new VerifiedTokens<AccessTokenClaims>();

  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    private readonly authenticated: AuthenticatedUsers,
  ) {}

  issue(user: Pick<User, 'id' | 'role' | 'tokenVersion'>): Promise<string> {
    return this.jwt.signAsync({ sub: user.id, role: user.role, ver: user.tokenVersion });
  }

  /**
   * The active user a token belongs to, or null for a missing, malformed, forged, expired or
   * revoked token. The user is loaded, not trusted from the token, so deactivation, revocation and
   * role changes apply: at once on the instance that made them, within AUTH_CACHE_TTL_MS elsewhere.
   * `fresh` reads the user row whatever is cached (a socket handshake: one read per connection).
   */
  async authenticate(
    token: string | undefined,
    { fresh = false }: { fresh?: boolean } = {},
  ): Promise<User | null> {
    const claims = await this.verify(token);
    if (!claims) return null;
    const load = () => this.users.loadForAuthentication(claims.sub);
    return this.checked(claims, await (fresh ? load() : this.authenticated.get(claims.sub, load)));
  }

  /**
   * The claims of a well-formed, signed, unexpired access token; a token without `exp`, or with an
   * audience (a scoped token), is refused.
   */
  async verify(token: string | undefined): Promise<AccessTokenClaims | null> {
    if (!token) return null;
    const known = this.verified.get(token);
    if (known) return known;
    try {
      const claims = await this.jwt.verifyAsync<Partial<AccessTokenClaims> & { aud?: unknown }>(
        token,
      );
      const wellFormed =
        typeof claims.sub === 'string' &&
        typeof claims.role === 'string' &&
        Number.isInteger(claims.ver) &&
        typeof claims.exp === 'number' &&
        claims.aud === undefined;
      if (!wellFormed) return null;
      this.verified.remember(token, claims as AccessTokenClaims);
      return claims as AccessTokenClaims;
    } catch {
      return null;
    }
  }

  /**
   * A token for `audience` only, valid `ttlSeconds`, signed with the access tokens' secret. Like an
   * access token it dies with the user's token version.
   */
  async issueScoped(
    user: Pick<User, 'id' | 'tokenVersion'>,
    audience: string,
    ttlSeconds: number,
  ): Promise<IssuedScopedToken> {
    const id = randomUUID();
    const token = await this.jwt.signAsync(
      { sub: user.id, ver: user.tokenVersion },
      { audience, jwtid: id, expiresIn: ttlSeconds },
    );
    const { exp } = this.jwt.decode<{ exp: number }>(token);
    return { token, id, expiresAt: new Date(exp * 1000) };
  }

  /**
   * The active user and the claims of a signed, unexpired token for `audience`, or null (the same
   * rules as a fresh `authenticate`; the role is the caller's to check).
   */
  async authenticateScoped(
    token: string | undefined,
    audience: string,
  ): Promise<{ user: User; claims: ScopedTokenClaims } | null> {
    if (!token) return null;
    let claims: Partial<ScopedTokenClaims>;
    try {
      claims = await this.jwt.verifyAsync<Partial<ScopedTokenClaims>>(token, { audience });
    } catch {
      return null;
    }
    const wellFormed =
      typeof claims.sub === 'string' &&
      Number.isInteger(claims.ver) &&
      claims.aud === audience &&
      typeof claims.jti === 'string' &&
      typeof claims.exp === 'number';
    if (!wellFormed) return null;
    // Scoped tokens open the queue dashboard: always checked against the row itself.
    const user = this.checked(
      claims as ScopedTokenClaims,
      await this.users.loadForAuthentication(claims.sub!),
    );
    return user ? { user, claims: claims as ScopedTokenClaims } : null;
  }

  /** The user a token names, if still active and the token's version is still theirs. */
  private checked(claims: { ver: number }, user: User | null): User | null {
    return user?.isActive && user.tokenVersion === claims.ver ? user : null;
  }
}
