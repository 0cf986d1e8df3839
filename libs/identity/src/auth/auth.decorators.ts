import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import { User } from '../entities/user.entity.js';
import { UserRole } from '../entities/user-role.enum.js';

export const IS_PUBLIC = 'identity:public';
export const ROLES = 'identity:roles';

/** The route needs no token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route (403 otherwise). */
export const Roles = (...roles: UserRole[]) => SetMetadata(ROLES, roles);

export type AuthenticatedRequest = Request & { user: User };

/** The authenticated caller, loaded fresh for this request. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): User =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().user,
);
