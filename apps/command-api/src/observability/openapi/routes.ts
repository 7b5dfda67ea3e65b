import { INestApplicationContext, Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { AdminGuard } from '../../admin/admin.guard';
import { PUBLIC_ROUTE, REQUIRED_SCOPES } from '../../auth/auth.decorators';
import { BodyMediaType, JSON_MEDIA_TYPE } from '../../http/body-parsing';
import { WAIT_QUERY } from '../../http/log-position';
import { API_COOKIES, CookieParameterDoc } from './api-cookie.decorator';

/** What the document needs to know of a route beyond what the Swagger scanner sees. */
export interface RouteFacts {
  operationId: string;
  /** No organization token (the guard lets it through). */
  isPublic: boolean;
  /** Takes the operators' admin token instead (`@AdminOnly()`). */
  adminOnly: boolean;
  /** The scopes the token must carry, as the AuthGuard reads them. */
  scopes: string[];
  /** The handler takes `?wait_for_position`. */
  waitsForPosition: boolean;
  /** The class of the `@Body()` parameter when it is a DTO, else undefined (raw body or none). */
  bodyDto?: Type;
  hasBody: boolean;
  /** The media type of the body the route takes (`@TakesFormBody()`), JSON otherwise. */
  bodyMediaType: BodyMediaType;
  /** Cookies the route reads (`@ApiCookie()`). */
  cookies: CookieParameterDoc[];
}

interface RouteArg {
  index: number;
  data?: unknown;
}

export const operationIdOf = (controller: string, method: string) => `${controller}_${method}`;

/** Every route handler of the app's controllers, by operation id. */
export function collectRoutes(app: INestApplicationContext): Map<string, RouteFacts> {
  const routes = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller?.prototype) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value;
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        routes.set(operationIdOf(controller.name, name), factsOf(controller, name, handler));
      }
    }
  }
  return routes;
}

function factsOf(controller: Type, name: string, handler: object): RouteFacts {
  const read = <T>(key: string): T | undefined => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
  const args = Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, RouteArg>);
  const ofType = (type: RouteParamtypes) => args.filter(([key]) => key.split(':')[0] === String(type)).map(([, arg]) => arg);
  const body = ofType(RouteParamtypes.BODY)[0];
  const bodyType = body ? (Reflect.getMetadata('design:paramtypes', controller.prototype, name) as Type[] | undefined)?.[body.index] : undefined;
  return {
    operationId: operationIdOf(controller.name, name),
    isPublic: read<boolean>(PUBLIC_ROUTE) === true,
    adminOnly: [handler, controller].some((target) => ((Reflect.getMetadata(GUARDS_METADATA, target) ?? []) as unknown[]).includes(AdminGuard)),
    scopes: read<string[]>(REQUIRED_SCOPES) ?? [],
    waitsForPosition: ofType(RouteParamtypes.QUERY).some((arg) => arg.data === WAIT_QUERY),
    hasBody: body !== undefined,
    bodyMediaType: (read<{ bodyMediaType?: BodyMediaType }>(FASTIFY_ROUTE_CONFIG_METADATA)?.bodyMediaType) ?? JSON_MEDIA_TYPE,
    cookies: read<CookieParameterDoc[]>(API_COOKIES) ?? [],
    ...(bodyType && bodyType !== Object ? { bodyDto: bodyType } : {}),
  };
}
