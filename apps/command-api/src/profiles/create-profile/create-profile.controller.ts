import { Body, Controller, Headers, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { TenantPipe } from '../../http/params';
import { CurrentWrite, WriteContext } from '../../http/request-context';
import { writeResultHeaders } from '../shared/write-result';
import { PROFILE_COOKIE, profileCookie, readProfileCookie } from '../shared/profile-cookie';
import { CreateProfileCommand } from './create-profile.command';
import { parseCreateProfileBody } from './create-profile.body';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ref } from '../../observability/openapi/schemas';
import { ApiCookie } from '../../observability/openapi/api-cookie.decorator';
import { linksTo } from '../../observability/openapi/links';

@Controller('t/:org/cds/api/v1/profiles')
export class CreateProfileController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @RequireScopes(SCOPES.profileCreate)
  @ApiOperation({
    summary: 'Create a temporary profile',
    description: `Answers with the profile and sets the \`${PROFILE_COOKIE}\` cookie to its tracker. A request carrying a live \`${PROFILE_COOKIE}\` cookie gets that profile (200) instead of a new one; attributes sent along are written to it.`,
  })
  @ApiCookie(PROFILE_COOKIE, "The browser's anonymous profile tracker.")
  @ApiBody({ schema: ref('schemas', 'CreateProfileRequest'), required: false })
  @ApiCreatedResponse({
    description: 'Created; `Set-Cookie` carries the tracker and `Location` the profile.',
    schema: ref('schemas', 'Profile'),
    links: linksTo(
      { id: '$response.body#/profile_id' },
      'GetProfileController_get',
      'PatchProfileController_patch',
      'GetProfileHistoryController_history',
      'DeleteProfileController_remove',
    ),
  })
  @ApiOkResponse({ description: "The cookie's profile (or its survivor).", schema: ref('schemas', 'Profile') })
  async create(
    @Param('org', TenantPipe) org: string,
    // Raw on purpose: attribute maps are validated by the schema, not reshaped by a DTO class.
    @Body() body: unknown,
    @Headers('cookie') cookie: string | undefined,
    @CurrentWrite() write: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commandBus.execute(new CreateProfileCommand(org, parseCreateProfileBody(body), readProfileCookie(cookie), write));
    reply.status(result.created ? 201 : 200);
    reply.headers({
      ...writeResultHeaders(result),
      'set-cookie': profileCookie(result.profile.anonymous_profile_tracker),
      location: `/t/${result.profile.meta.location}`,
    });
    return result.profile;
  }
}
