import { Injectable } from '@nestjs/common';
import { RetryLaterError, UnauthenticatedError } from '@mas/domain-errors';
import { LoginThrottle } from '../abuse/login-throttle.js';
import { RegisterThrottle } from '../abuse/register-throttle.js';
import { LoginDto, RegisterDto } from '../dto/credentials.dto.js';
import { LoginResponse, UserResponse } from '../dto/user.response.js';
import { User } from '../entities/user.entity.js';
import { UserRole } from '../entities/user-role.enum.js';
import { PasswordHasher } from '../passwords/password-hasher.service.js';
import { UsersService } from '../users/users.service.js';
import { TokenService } from './token.service.js';

const WRONG_CREDENTIALS = 'email or password is incorrect';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokenService,
    private readonly hasher: PasswordHasher,
    private readonly loginThrottle: LoginThrottle,
    private readonly registerThrottle: RegisterThrottle,
  ) {}

  async register(input: RegisterDto, address: string): Promise<User> {
    await this.registerThrottle.admit(address);
    return this.users.create({ ...input, role: UserRole.Student });
  }

  async login({ email, password }: LoginDto, address: string): Promise<LoginResponse> {
    await this.loginThrottle.admit(email, address);
    const user = await this.users.findWithPasswordHash(email);
    let valid: boolean;
    try {
      valid = await this.hasher.verify(password, user?.passwordHash);
    } catch (error) {
      await this.loginThrottle.release(email);
      throw error;
    }
    if (!user || !valid || !user.isActive) {
      await this.loginThrottle.failed(address);
      throw new UnauthenticatedError(WRONG_CREDENTIALS);
    }
    await this.loginThrottle.release(email);
    if (this.hasher.needsRehash(user.passwordHash)) await this.upgradeHash(user, password);
    return { accessToken: await this.tokens.issue(user), user: UserResponse.of(user) };
  }

  /**
   * A bcrypt hash from the old backend becomes scrypt at its first successful login, in the same
   * request. When the hasher is too busy the login still succeeds and a later one upgrades it.
   */
  private async upgradeHash(user: User, password: string): Promise<void> {
    let upgraded: string;
    try {
      upgraded = await this.hasher.rehash(password);
    } catch (error) {
      if (error instanceof RetryLaterError) return;
      throw error;
    }
    await this.users.upgradePasswordHash(user.id, user.passwordHash, upgraded);
  }

  /** Revokes every token of the caller, on every device. */
  logout(user: User): Promise<void> {
    return this.users.revokeTokens(user.id);
  }
}
