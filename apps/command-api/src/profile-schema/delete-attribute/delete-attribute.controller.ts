import { Controller, Delete, HttpCode, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Scope } from '@cds/domain';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { positionHeaders } from '../../http/log-position';
import { ScopePipe, TenantPipe } from '../../http/params';
import { CurrentWrite, WriteContext } from '../../http/request-context';
import { DeleteAttributeCommand } from './delete-attribute.command';
import { ApiNoContentResponse, ApiOperation } from '@nestjs/swagger';

@Controller('t/:org/cds/api/v1/profile-schema')
export class DeleteAttributeController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':scope/:attributeId')
  @HttpCode(204)
  @RequireScopes(SCOPES.schemaManage)
  @ApiOperation({
    summary: 'Remove an attribute definition',
    description: 'New writes to it are refused; stored values stay. The property of a unification rule cannot be removed while the rule exists (409 `attribute_in_use`).',
  })
  @ApiNoContentResponse({ description: 'Removed.' })
  async remove(
    @Param('org', TenantPipe) org: string,
    @Param('scope', ScopePipe) scope: Scope,
    @Param('attributeId') attributeId: string,
    @CurrentWrite() write: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const { position } = await this.commandBus.execute(new DeleteAttributeCommand(org, scope, attributeId, write));
    reply.headers(positionHeaders(position));
  }
}
