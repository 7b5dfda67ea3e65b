import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { MAX_DEFINITIONS_PER_REQUEST, Scope } from '@cds/domain';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { positionHeaders } from '../../http/log-position';
import { ScopePipe, TenantPipe } from '../../http/params';
import { CurrentWrite, WriteContext } from '../../http/request-context';
import { DefineAttributesCommand } from './define-attributes.command';
import { ApiBody, ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { ref } from '../../observability/openapi/schemas';
import { linksTo } from '../../observability/openapi/links';

/** SPEC §6: one attribute object or an array of them; all are defined or none. */
@Controller('t/:org/cds/api/v1/profile-schema')
export class DefineAttributesController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':scope')
  @RequireScopes(SCOPES.schemaManage)
  @ApiOperation({ summary: 'Define attributes in a scope', description: `One attribute object or an array of up to ${MAX_DEFINITIONS_PER_REQUEST}; all are defined or none.` })
  @ApiBody({
    schema: { oneOf: [ref('schemas', 'AttributeInput'), { type: 'array', minItems: 1, maxItems: MAX_DEFINITIONS_PER_REQUEST, items: ref('schemas', 'AttributeInput') }] },
  })
  @ApiCreatedResponse({
    description: 'The definitions, each with its `attribute_id` (one object for one, an array for an array).',
    schema: { oneOf: [ref('schemas', 'AttributeDefinition'), { type: 'array', items: ref('schemas', 'AttributeDefinition') }] },
    links: linksTo(
      { scope: '$request.path.scope', attributeId: '$response.body#/attribute_id' },
      'ReadSchemaController_one',
      'UpdateAttributeController_update',
      'DeleteAttributeController_remove',
    ),
  })
  async define(
    @Param('org', TenantPipe) org: string,
    @Param('scope', ScopePipe) scope: Scope,
    @Body() body: unknown,
    @CurrentWrite() write: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const inputs = Array.isArray(body) ? body : [body];
    const { definitions, position } = await this.commandBus.execute(new DefineAttributesCommand(org, scope, inputs, write));
    reply.status(201).headers(positionHeaders(position));
    return Array.isArray(body) ? definitions : definitions[0];
  }
}
