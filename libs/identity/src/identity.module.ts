import { createSecretKey } from 'node:crypto';
import {
  type DynamicModule,
  type InjectionToken,
  Module,
  type ModuleMetadata,
  type Provider,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AbuseCounters } from './abuse/abuse-counters.js';
import { IDENTITY_REDIS } from './abuse/identity-redis.js';
import { LoginThrottle } from './abuse/login-throttle.js';
import { RegisterThrottle } from './abuse/register-throttle.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthService } from './auth/auth.service.js';
import { AuthenticatedUsers } from './auth/authenticated-users.js';
import { AuthenticationGuard } from './auth/authentication.guard.js';
import { RolesGuard } from './auth/roles.guard.js';
import { TokenService } from './auth/token.service.js';
import { User } from './entities/user.entity.js';
import { IDENTITY_CONFIG, type IdentityConfig } from './identity.config.js';
import { PasswordHasher } from './passwords/password-hasher.service.js';
import { AdminSeed } from './seeds/admin.seed.js';
import { DemoUsersSeed } from './seeds/demo-users.seed.js';
import { UsersController } from './users/users.controller.js';
import { UsersService } from './users/users.service.js';

export interface IdentityModuleOptions {
  /**
   * The Redis connection the abuse limits count in (an ioredis client), and the modules that
   * provide it. Without it every instance counts on its own.
   */
  redis?: { token: InjectionToken; imports: ModuleMetadata['imports'] };
}

/** Users, login, abuse limits, and the global authentication + roles guards. */
@Module({})
export class IdentityModule {
  static forRoot(config: IdentityConfig, { redis }: IdentityModuleOptions = {}): DynamicModule {
    const redisProviders: Provider[] = redis
      ? [{ provide: IDENTITY_REDIS, useExisting: redis.token }]
      : [];
    return {
      module: IdentityModule,
      global: true,
      imports: [
        ...(redis?.imports ?? []),
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
        AuthenticatedUsers,
        ...redisProviders,
        PasswordHasher,
        AbuseCounters,
        LoginThrottle,
        RegisterThrottle,
        AdminSeed,
        DemoUsersSeed,
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
      exports: [UsersService, TokenService, IDENTITY_CONFIG],
    };
  }
}
