import { Controller, Get, Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { ProfileIdPipe, TenantPipe } from '../../http/params';
import { ref } from '../../observability/openapi/schemas';
import { ExportProfileQuery } from './export-profile.query';

@Controller('t/:org/cds/api/v1/profiles')
export class ExportProfileController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id/export')
  @RequireScopes(SCOPES.profileView)
  @ApiOperation({
    summary: 'Export everything kept about a data subject',
    description:
      'One JSON document to download (right of access and to portability): the unified profile, every profile merged into it with its data ' +
      'as it was when it merged, and the whole history (every page) as history items. A merged-away id exports its survivor; an erased one is 404.',
  })
  @ApiOkResponse({ description: 'The export, as an attachment.', schema: ref('schemas', 'SubjectExport') })
  async export(@Param('org', TenantPipe) org: string, @Param('id', ProfileIdPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const exported = await this.queryBus.execute(new ExportProfileQuery(org, id));
    reply.header('content-disposition', `attachment; filename="profile-${exported.profile.profile_id}.json"`);
    reply.header('cache-control', 'no-store');
    return exported;
  }
}
