import { METHOD_METADATA } from '@nestjs/common/constants.js';

type Handler = (...args: never[]) => unknown;

/**
 * Makes a method decorator usable on a controller too: there it decorates every route handler
 * the class declares (except those `skip` picks), so a class-wide rule lands on each operation.
 */
export function forEachRoute(
  decorate: MethodDecorator,
  skip: (handler: Handler) => boolean = () => false,
): ClassDecorator & MethodDecorator {
  return ((target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) return decorate(target, key!, descriptor);
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const routeDescriptor = Object.getOwnPropertyDescriptor(prototype, name)!;
      const handler = routeDescriptor.value as unknown;
      if (typeof handler !== 'function' || !Reflect.hasMetadata(METHOD_METADATA, handler)) continue;
      if (!skip(handler as Handler)) decorate(prototype, name, routeDescriptor);
    }
    return undefined;
  }) as ClassDecorator & MethodDecorator;
}
