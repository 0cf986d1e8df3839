import { Injectable, UnauthorizedException } from '@nestjs/common';
import { LoginDto, RegisterDto } from '../dto/credentials.dto.js';
import { LoginResponse, UserResponse } from '../dto/user.response.js';
import { User } from '../entities/user.entity.js';
import { UserRole } from '../entities/user-role.enum.js';
import { hashPassword, verifyPassword } from '../passwords/password-hasher.js';
import { UsersService } from '../users/users.service.js';
import { TokenService } from './token.service.js';

const WRONG_CREDENTIALS = 'email or password is incorrect';

@Injectable()
export class AuthService {
  /** Verified against when the email is unknown, so both failures take the same time. */
  private decoyHash?: Promise<string>;

  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokenService,
  ) {}

  register(input: RegisterDto): Promise<User> {
    return this.users.create({ ...input, role: UserRole.Student });
  }

  async login({ email, password }: LoginDto): Promise<LoginResponse> {
    const user = await this.users.findWithPasswordHash(email);
    this.decoyHash ??= hashPassword('decoy password');
    const valid = await verifyPassword(password, user?.passwordHash ?? (await this.decoyHash));
    if (!user || !valid || !user.isActive) throw new UnauthorizedException(WRONG_CREDENTIALS);
    return { accessToken: await this.tokens.issue(user), user: UserResponse.of(user) };
  }
}
