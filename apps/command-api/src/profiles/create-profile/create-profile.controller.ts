import { Body, Controller, Headers, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { TenantPipe } from '../../http/params';
import { CurrentWrite, WriteContext } from '../../http/request-context';
import { writeResultHeaders } from '../shared/write-result';
import { profileCookie, readProfileCookie } from '../shared/profile-cookie';
import { CreateProfileCommand } from './create-profile.command';
import { parseCreateProfileBody } from './create-profile.body';

@Controller('t/:org/cds/api/v1/profiles')
export class CreateProfileController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @RequireScopes(SCOPES.profileCreate)
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
