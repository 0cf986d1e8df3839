import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import type { Request } from 'express';
import { type User } from '../entities/user.entity.js';
import { type UserRole } from '../entities/user-role.enum.js';
import { IS_PUBLIC, ROLES } from './access-metadata.js';
import { ApiRoles } from './access-openapi.js';

export { IS_PUBLIC, ROLES } from './access-metadata.js';
export { Authenticated } from './access-openapi.js';

/** The route needs no token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route (403 otherwise); documented as `x-roles` and a 403. */
export const Roles = (...roles: UserRole[]) =>
  applyDecorators(SetMetadata(ROLES, roles), ApiRoles(roles));

export type AuthenticatedRequest = Request & { user: User };

/** The authenticated caller, loaded fresh for this request. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): User =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().user,
);
