import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { LoginDto, RegisterDto } from '../dto/credentials.dto.js';
import { LoginResponse, UserResponse } from '../dto/user.response.js';
import { Public } from './auth.decorators.js';
import { AuthService } from './auth.service.js';
import { LoginRateLimitGuard } from './login-rate-limit.guard.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create a student account' })
  async register(@Body() body: RegisterDto): Promise<UserResponse> {
    return UserResponse.of(await this.auth.register(body));
  }

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @UseGuards(LoginRateLimitGuard)
  @ApiOperation({ summary: 'Exchange email and password for a bearer token' })
  @ApiTooManyRequestsResponse({ description: 'too many login attempts from this address' })
  login(@Body() body: LoginDto): Promise<LoginResponse> {
    return this.auth.login(body);
  }
}
