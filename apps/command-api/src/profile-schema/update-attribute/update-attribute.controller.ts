import { Body, Controller, Param, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Scope } from '@cds/domain';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { positionHeaders } from '../../http/log-position';
import { ScopePipe, TenantPipe } from '../../http/params';
import { CurrentWrite, WriteContext } from '../../http/request-context';
import { UpdateAttributeCommand } from './update-attribute.command';
import { ApiBody, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ref } from '../../observability/openapi/schemas';

@Controller('t/:org/cds/api/v1/profile-schema')
export class UpdateAttributeController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':scope/:attributeId')
  @RequireScopes(SCOPES.schemaManage)
  @ApiOperation({ summary: 'Change an attribute definition', description: '`attribute_name`, `value_type` and `application_identifier` are fixed once defined; a multi-valued attribute stays multi-valued.' })
  @ApiBody({ schema: ref('schemas', 'AttributeChange') })
  @ApiOkResponse({ description: 'The definition as changed.', schema: ref('schemas', 'AttributeDefinition') })
  async update(
    @Param('org', TenantPipe) org: string,
    @Param('scope', ScopePipe) scope: Scope,
    @Param('attributeId') attributeId: string,
    @Body() body: unknown,
    @CurrentWrite() write: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { definition, position } = await this.commandBus.execute(new UpdateAttributeCommand(org, scope, attributeId, body, write));
    reply.headers(positionHeaders(position));
    return definition;
  }
}
