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
import { UnmergeProfileCommand } from './unmerge-profile.command';

@Controller('t/:org/cds/api/v1/profiles')
export class UnmergeProfileController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/unmerge')
  @HttpCode(200)
  @RequireScopes(SCOPES.profileMerge)
  @ApiOperation({
    summary: 'Undo a merge: split a merged profile off exactly',
    description:
      '`{profile_id}`, a profile merged into the one in the path (directly), lives again as itself: its own events plus the writes that reached ' +
      'the survivor through its id or tracker after the merge; profiles merged into it before go with it. The survivor is recomputed as if the ' +
      'merge had never happened. An undone user_id merge cancels the split-off profile’s user stamp. The pair is kept apart from rule matches ' +
      'until merged by hand. 409 when the profile is not merged into this one. Answers once the split is done.',
  })
  @ApiOkResponse({ description: 'The survivor as it stays.', schema: ref('schemas', 'Profile') })
  async unmerge(
    @Param('org', TenantPipe) org: string,
    @Param('id', ProfileIdPipe) id: string,
    @Body() body: OtherProfileDto,
    @CurrentWrite() write: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commandBus.execute(new UnmergeProfileCommand(org, id, body.profile_id.toLowerCase(), write));
    reply.headers(writeResultHeaders(result));
    return result.profile;
  }
}
