import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { User } from '../entities/user.entity.js';
import { UserRole } from '../entities/user-role.enum.js';

export interface AccessTokenClaims {
  sub: string;
  role: UserRole;
}

/** Issues and verifies access tokens; other libs (the realtime gateway) verify through it. */
@Injectable()
export class TokenService {
  constructor(private readonly jwt: JwtService) {}

  issue(user: User): Promise<string> {
    return this.jwt.signAsync({ sub: user.id, role: user.role } satisfies AccessTokenClaims);
  }

  /** The claims of a valid token, or null for a missing, malformed, forged or expired one. */
  async verify(token: string | undefined): Promise<AccessTokenClaims | null> {
    if (!token) return null;
    try {
      const claims = await this.jwt.verifyAsync<Partial<AccessTokenClaims>>(token);
      return typeof claims.sub === 'string' && typeof claims.role === 'string'
        ? (claims as AccessTokenClaims)
        : null;
    } catch {
      return null;
    }
  }
}
