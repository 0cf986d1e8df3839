import { Body, Controller, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import { ApiErrors } from '@mas/http';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { LoginDto, RegisterDto } from '../dto/credentials.dto.js';
import { LoginResponse, UserResponse } from '../dto/user.response.js';
import { User } from '../entities/user.entity.js';
import { Authenticated, CurrentUser, Public } from './auth.decorators.js';
import { AuthService } from './auth.service.js';

const BUSY = 'too many passwords being checked; Retry-After says when to retry';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create a student account' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiErrors(
    400,
    [409, 'the email is taken'],
    [429, 'too many registrations from this address'],
    [503, BUSY],
  )
  async register(@Body() body: RegisterDto, @Ip() address: string): Promise<UserResponse> {
    return UserResponse.of(await this.auth.register(body, address));
  }

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange email and password for a bearer token' })
  @ApiOkResponse({ type: LoginResponse })
  @ApiErrors(
    400,
    [401, 'wrong email or password'],
    [429, 'too many attempts from this address, or failed logins for this account'],
    [503, BUSY],
  )
  login(@Body() body: LoginDto, @Ip() address: string): Promise<LoginResponse> {
    return this.auth.login(body, address);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Authenticated()
  @ApiOperation({ summary: "Revoke every one of the caller's tokens, on every device" })
  @ApiNoContentResponse()
  logout(@CurrentUser() user: User): Promise<void> {
    return this.auth.logout(user);
  }
}
