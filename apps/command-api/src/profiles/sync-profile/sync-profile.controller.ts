import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { positionHeaders } from '../../http/log-position';
import { TenantPipe } from '../../http/params';
import { CurrentWrite, WriteContext } from '../../http/request-context';
import { ref } from '../../observability/openapi/schemas';
import { SyncProfileCommand } from './sync-profile.command';
import { SyncProfileDto, syncRequest } from './sync-profile.dto';

@Controller('t/:org/cds/api/v1/profiles/sync')
export class SyncProfileController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(200)
  @RequireScopes(SCOPES.profileUpdate)
  @ApiOperation({
    summary: 'Sign-in and the identity provider’s lifecycle events',
    description:
      '`{event, user_id, anonymous_profile_tracker}`, or WSO2 Identity Server’s webhook body `{event, userId, profileCookie?, profileId?, claims?, orgHandle?}`. ' +
      '`AUTHENTICATION_SUCCESS` (the default) stamps the user on the browser’s profile; the first profile to carry a user id is permanent and later ones merge into it, ' +
      'and the answer is the unified profile. `POST_ADD_USER` does the same with a cookie, and without one makes sure the user has a permanent profile. ' +
      '`SESSION_TERMINATE` makes the cookie stop leading to its profile (the profile stays the user’s). ' +
      '`POST_DELETE_USER_WITH_ID` erases the user’s permanent profile as DELETE does (204). Any other event is a 400 naming the ones accepted.',
  })
  @ApiOkResponse({ description: 'The user’s permanent profile.', schema: ref('schemas', 'Profile') })
  @ApiNoContentResponse({ description: 'The user’s profile was erased (`POST_DELETE_USER_WITH_ID`).' })
  async sync(
    @Param('org', TenantPipe) org: string,
    @Body() body: SyncProfileDto,
    @CurrentWrite() write: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commandBus.execute(new SyncProfileCommand(org, syncRequest(body ?? {}, org), write));
    if (result === null) {
      reply.status(204);
      return undefined;
    }
    reply.headers(positionHeaders(result.position));
    return result.profile;
  }
}
