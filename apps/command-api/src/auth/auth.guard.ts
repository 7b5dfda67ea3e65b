import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE, REQUIRED_SCOPES } from './auth.decorators';
import { AuthError, TokenService } from './token-service';

/**
 * Every route needs a bearer token for the organization in its path, with the route's scopes,
 * unless it is marked public. A token of one organization opens nothing of another.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const header: string | undefined = request.headers.authorization;
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw new AuthError(401, 'missing_token', 'An Authorization: Bearer <token> header is required');
    const principal = await this.tokens.verify(match[1]);
    const organization = request.params?.org;
    if (organization !== undefined && principal.organization !== organization) {
      throw new AuthError(403, 'wrong_organization', `The token is for organization ${principal.organization}, not ${organization}`);
    }
    const required = this.reflector.getAllAndOverride<string[]>(REQUIRED_SCOPES, targets) ?? [];
    const missing = required.filter((scope) => !principal.scopes.has(scope));
    if (missing.length > 0) throw new AuthError(403, 'insufficient_scope', `The token lacks scope ${missing.join(', ')}`);
    request.principal = principal;
    return true;
  }
}
