import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, DECORATORS } from '@nestjs/swagger';
import { ApiErrors, forEachRoute } from '@mas/http';
import { type UserRole } from '../entities/user-role.enum.js';
import { IS_PUBLIC, ROLES } from './access-metadata.js';

/** Appends "Roles: …" to the operation's description (keeping its summary and description). */
const describeRoles =
  (roles: UserRole[]): MethodDecorator =>
  (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    const operation = (Reflect.getMetadata(DECORATORS.API_OPERATION, handler) ?? {}) as {
      description?: string;
    };
    const note = `Roles: ${roles.join(', ')}.`;
    Reflect.defineMetadata(
      DECORATORS.API_OPERATION,
      { ...operation, description: [operation.description, note].filter(Boolean).join('\n\n') },
      handler,
    );
  };

/**
 * What `@Roles(...)` adds to the document: `x-roles`, the roles in the description and the 403.
 * On a controller it skips routes with their own `@Roles`, as the guard does.
 */
export const ApiRoles = (roles: UserRole[]) =>
  forEachRoute(
    applyDecorators(
      ApiExtension('x-roles', roles),
      describeRoles(roles),
      ApiErrors([403, `only for ${roles.join(', ')}`]),
    ),
    (handler) => Reflect.hasMetadata(ROLES, handler),
  );

/**
 * Documents the bearer token every route needs unless `@Public()`: the security requirement,
 * 401, and 503 (authentication itself reads the database). On a controller, public routes skipped.
 */
export const Authenticated = () =>
  forEachRoute(applyDecorators(ApiBearerAuth(), ApiErrors(401, 503)), (handler) =>
    Reflect.hasMetadata(IS_PUBLIC, handler),
  );
