import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { AuthError } from '../auth/token-service';
import { ADMIN_TOKEN } from './admin-token';

/**
 * Operators' endpoints take the admin token, not an organization's JWT: 401 without a bearer
 * token, 403 with any other one.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(ADMIN_TOKEN) private readonly token: string) {}

  canActivate(context: ExecutionContext): boolean {
    const header: string | undefined = context.switchToHttp().getRequest().headers.authorization;
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw new AuthError(401, 'missing_token', 'An Authorization: Bearer <admin token> header is required');
    const given = Buffer.from(match[1]);
    const expected = Buffer.from(this.token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AuthError(403, 'not_an_admin_token', 'Operators\' endpoints take the admin token (CDS_ADMIN_TOKEN or admin.token in the data directory)');
    }
    return true;
  }
}
