import { createSecretKey } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthController } from './auth/auth.controller.js';
import { AuthService } from './auth/auth.service.js';
import { AuthenticationGuard } from './auth/authentication.guard.js';
import { LoginRateLimitGuard } from './auth/login-rate-limit.guard.js';
import { RolesGuard } from './auth/roles.guard.js';
import { TokenService } from './auth/token.service.js';
import { User } from './entities/user.entity.js';
import { IDENTITY_CONFIG, IdentityConfig } from './identity.config.js';
import { AdminSeed } from './seeds/admin.seed.js';
import { DemoUsersSeed } from './seeds/demo-users.seed.js';
import { UsersController } from './users/users.controller.js';
import { UsersService } from './users/users.service.js';

/** Users, login, and the global authentication + roles guards. */
@Module({})
export class IdentityModule {
  static forRoot(config: IdentityConfig): DynamicModule {
    return {
      module: IdentityModule,
      global: true,
      imports: [
        TypeOrmModule.forFeature([User]),
        // A KeyObject, not a string: jsonwebtoken otherwise tries (and fails) to parse the string as a
        // public key on every verification, which dominated the cost of an authenticated request.
        JwtModule.register({
          secret: createSecretKey(Buffer.from(config.jwtSecret)),
          signOptions: { expiresIn: config.jwtTtlSeconds },
        }),
      ],
      controllers: [AuthController, UsersController],
      providers: [
        { provide: IDENTITY_CONFIG, useValue: config },
        UsersService,
        AuthService,
        TokenService,
        LoginRateLimitGuard,
        AdminSeed,
        DemoUsersSeed,
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
      exports: [UsersService, TokenService, IDENTITY_CONFIG],
    };
  }
}
