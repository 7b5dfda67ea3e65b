import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { assertTenant } from '@cds/application';
import { FORM_MEDIA_TYPE, TakesFormBody } from '../../http/body-parsing';
import { Public } from '../auth.decorators';
import { AuthError, TokenService } from '../token-service';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ref } from '../../observability/openapi/schemas';

/** SPEC §6: client-credentials tokens from the built-in issuer (Basic auth or form fields). */
@Controller('t/:org/oauth2/token')
export class IssueTokenController {
  constructor(private readonly tokens: TokenService) {}

  @Public()
  @Post()
  @HttpCode(200)
  @TakesFormBody()
  @ApiOperation({
    summary: 'Get an access token (client credentials)',
    description:
      'The built-in issuer: Basic auth with the client id and secret (or `client_id` / `client_secret` form fields). ' +
      'The token is bound to the organization in the path and carries the scopes asked for in `scope` (all when it is absent); ' +
      'a repeated `scope` field adds its scopes, and an unknown scope is refused. Tokens expire after `expires_in` seconds.',
  })
  @ApiConsumes(FORM_MEDIA_TYPE)
  @ApiBody({ schema: ref('schemas', 'TokenRequest') })
  @ApiOkResponse({ description: 'A bearer token.', schema: ref('schemas', 'TokenResponse') })
  async issue(
    @Param('org') org: string,
    @Headers('authorization') authorization: string | undefined,
    @Body() body: Record<string, unknown> | undefined,
  ) {
    assertTenant(org);
    const form = body ?? {};
    if (form.grant_type !== 'client_credentials') {
      throw new AuthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    }
    const { clientId, clientSecret } = credentials(authorization, form);
    return this.tokens.issue(org, clientId, clientSecret, requestedScopes(form.scope));
  }
}

/**
 * The scopes a form asks for, from one `scope` field or several (each space-separated); null when
 * it asks for none in particular (no `scope` field). Repeats name a scope once.
 */
function requestedScopes(field: unknown): string[] | null {
  if (field === undefined) return null;
  const values = Array.isArray(field) ? field : [field];
  const scopes = values.flatMap((value) => String(value).split(' ').filter(Boolean));
  if (scopes.length === 0) throw new AuthError(400, 'invalid_scope', 'scope names no scope; leave it out to ask for every scope');
  return [...new Set(scopes)];
}

function credentials(authorization: string | undefined, form: Record<string, unknown>) {
  const basic = authorization?.match(/^Basic\s+(\S+)$/i);
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) throw new AuthError(401, 'invalid_client', 'Basic credentials must be base64(client_id:client_secret)');
    try {
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon)),
        clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
      };
    } catch {
      throw new AuthError(401, 'invalid_client', 'Basic credentials are not valid percent-encoding');
    }
  }
  if (typeof form.client_id === 'string' && typeof form.client_secret === 'string') {
    return { clientId: form.client_id, clientSecret: form.client_secret };
  }
  throw new AuthError(401, 'invalid_client', 'Client credentials are required (Basic auth or client_id and client_secret)');
}
