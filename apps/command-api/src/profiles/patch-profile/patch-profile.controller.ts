import { Body, Controller, Param, Patch, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { ProfileIdPipe, TenantPipe } from '../../http/params';
import { CurrentWrite, WriteContext } from '../../http/request-context';
import { writeResultHeaders } from '../shared/write-result';
import { PatchProfileCommand } from './patch-profile.command';
import { ApiBody, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ref } from '../../observability/openapi/schemas';

@Controller('t/:org/cds/api/v1/profiles')
export class PatchProfileController {
  constructor(private readonly commandBus: CommandBus) {}

  @Patch(':id')
  @RequireScopes(SCOPES.profileUpdate)
  @ApiOperation({
    summary: 'Write attributes to a profile',
    description: 'Each value meets the stored one through its merge strategy (combine, overwrite, oldest, sum); `null` clears a value.',
  })
  @ApiBody({ schema: ref('schemas', 'ProfileAttributes') })
  @ApiOkResponse({ description: 'The profile as the write left it.', schema: ref('schemas', 'Profile') })
  async patch(
    @Param('org', TenantPipe) org: string,
    @Param('id', ProfileIdPipe) id: string,
    // Raw on purpose: attribute maps are validated by the schema, not reshaped by a DTO class.
    @Body() body: unknown,
    @CurrentWrite() write: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commandBus.execute(new PatchProfileCommand(org, id, body, 'http', write));
    reply.headers(writeResultHeaders(result));
    return result.profile;
  }
}
