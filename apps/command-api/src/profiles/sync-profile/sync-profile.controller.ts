import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { positionHeaders } from '../../http/log-position';
import { TenantPipe } from '../../http/params';
import { CurrentWrite, WriteContext } from '../../http/request-context';
import { SyncProfileCommand } from './sync-profile.command';
import { signInFields, SyncProfileDto } from './sync-profile.dto';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ref } from '../../observability/openapi/schemas';

@Controller('t/:org/cds/api/v1/profiles/sync')
export class SyncProfileController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(200)
  @RequireScopes(SCOPES.profileUpdate)
  @ApiOperation({
    summary: 'Sign-in: attach a user id to the browser’s profile',
    description:
      '`{event: "AUTHENTICATION_SUCCESS", user_id, anonymous_profile_tracker}`, or the camelCase `{userId, profileCookie}`. ' +
      'The first profile to carry a user id becomes permanent; later ones merge into it.',
  })
  @ApiOkResponse({ description: 'The permanent profile.', schema: ref('schemas', 'Profile') })
  async sync(
    @Param('org', TenantPipe) org: string,
    @Body() body: SyncProfileDto,
    @CurrentWrite() write: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { userId, tracker } = signInFields(body ?? {});
    const result = await this.commandBus.execute(new SyncProfileCommand(org, userId, tracker, write));
    reply.headers(positionHeaders(result.position));
    return result.profile;
  }
}
