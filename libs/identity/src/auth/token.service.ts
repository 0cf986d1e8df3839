import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { User } from '../entities/user.entity.js';
import { UserRole } from '../entities/user-role.enum.js';
import { UsersService } from '../users/users.service.js';

export interface AccessTokenClaims {
  sub: string;
  role: UserRole;
  /** The user's token version when issued; a bump (deactivation, logout, revocation) kills it. */
  ver: number;
  exp: number;
}

/**
 * Issues and checks access tokens. `authenticate` is the one check every entry point uses (HTTP
 * guard, Socket.IO handshake, the queue dashboard), so none of them can forget a rule.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersService,
  ) {}

  issue(user: Pick<User, 'id' | 'role' | 'tokenVersion'>): Promise<string> {
    return this.jwt.signAsync({ sub: user.id, role: user.role, ver: user.tokenVersion });
  }

  /**
   * The active user a token belongs to, or null for a missing, malformed, forged, expired or
   * revoked token. The user is loaded, not trusted from the token, so deactivation and role changes
   * apply at once.
   */
  async authenticate(token: string | undefined): Promise<User | null> {
    const claims = await this.verify(token);
    if (!claims) return null;
    const user = await this.users.findById(claims.sub);
    return user?.isActive && user.tokenVersion === claims.ver ? user : null;
  }

  /** The claims of a well-formed, signed, unexpired token; a token without `exp` is refused. */
  async verify(token: string | undefined): Promise<AccessTokenClaims | null> {
    if (!token) return null;
    try {
      const claims = await this.jwt.verifyAsync<Partial<AccessTokenClaims>>(token);
      return typeof claims.sub === 'string' &&
        typeof claims.role === 'string' &&
        Number.isInteger(claims.ver) &&
        typeof claims.exp === 'number'
        ? (claims as AccessTokenClaims)
        : null;
    } catch {
      return null;
    }
  }
}
