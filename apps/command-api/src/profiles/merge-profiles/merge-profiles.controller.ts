import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { ProfileIdPipe, TenantPipe } from '../../http/params';
import { CurrentWrite, WriteContext } from '../../http/request-context';
import { ref } from '../../observability/openapi/schemas';
import { OtherProfileDto } from '../shared/other-profile.dto';
import { writeResultHeaders } from '../shared/write-result';
import { MergeProfilesCommand } from './merge-profiles.command';

@Controller('t/:org/cds/api/v1/profiles')
export class MergeProfilesController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/merge')
  @HttpCode(200)
  @RequireScopes(SCOPES.profileMerge)
  @ApiOperation({
    summary: 'Merge another profile into this one, by hand',
    description:
      '`{profile_id}` merges into the profile in the path, which survives (reason `manual`); a merged-away id stands for its survivor. ' +
      'Profiles of different users are refused (409). A pair split apart by an unmerge may be merged again this way. ' +
      'Answers once the merge is done, with the unified profile.',
  })
  @ApiOkResponse({ description: 'The unified profile after the merge.', schema: ref('schemas', 'Profile') })
  async merge(
    @Param('org', TenantPipe) org: string,
    @Param('id', ProfileIdPipe) id: string,
    @Body() body: OtherProfileDto,
    @CurrentWrite() write: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commandBus.execute(new MergeProfilesCommand(org, id, body.profile_id.toLowerCase(), write));
    reply.headers(writeResultHeaders(result));
    return result.profile;
  }
}
