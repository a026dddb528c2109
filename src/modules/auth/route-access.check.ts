import { Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ACCESS_KEY } from './access.decorators';

/**
 * Refuses to start when a route has neither `@Public()` nor `@Roles(...)`: a forgotten decorator
 * must not silently open a route (or close it with a 500 at the first request).
 */
@Injectable()
export class RouteAccessCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const missing: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as (
          ...args: unknown[]
        ) => unknown;
        if (this.reflector.get<unknown>(PATH_METADATA, handler) === undefined) continue;
        const rule = this.reflector.getAllAndOverride<unknown>(ACCESS_KEY, [
          handler,
          wrapper.metatype as Type,
        ]);
        if (!rule) missing.push(`${wrapper.name}.${name}`);
      }
    }
    if (missing.length > 0) {
      throw new Error(`Routes without @Public() or @Roles(): ${missing.join(', ')}`);
    }
  }
}
