import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Principal } from './token-service';

export const PUBLIC_ROUTE = 'cds:public';
export const REQUIRED_SCOPES = 'cds:scopes';

/** No bearer token needed (the token endpoint, health checks). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** The token must carry every one of these scopes. */
export const RequireScopes = (...scopes: string[]) => SetMetadata(REQUIRED_SCOPES, scopes);

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal,
);
