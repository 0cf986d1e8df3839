import { type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC, ROLES } from '@mas/identity';

/** Who may call a route, read from the same metadata the guards enforce. */
export interface RouteAccess {
  isPublic: boolean;
  /** Empty when any authenticated user may call it. */
  roles: string[];
}

const joinPath = (...parts: string[]) =>
  `/${parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .map((segment) => segment.replace(/^:(.+)$/, '{$1}'))
    .join('/')}`;

/** Every controller route of the app, keyed like the document's operations: `GET /api/users/{id}`. */
export function routeAccessOf(app: INestApplication, prefix: string): Map<string, RouteAccess> {
  const routes = new Map<string, RouteAccess>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const controllerPath = (Reflect.getMetadata(PATH_METADATA, controller) as string) ?? '';
      for (const key of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[key];
        if (typeof handler !== 'function' || key === 'constructor') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string;
        const name = `${RequestMethod[method]} ${joinPath(prefix, controllerPath, path)}`;
        const own = <T>(metadataKey: string) =>
          (Reflect.getMetadata(metadataKey, handler) ??
            Reflect.getMetadata(metadataKey, controller)) as T | undefined;
        routes.set(name, {
          isPublic: own<boolean>(IS_PUBLIC) === true,
          roles: [...(own<string[]>(ROLES) ?? [])].sort(),
        });
      }
    }
  }
  return routes;
}
