import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Scope } from '@cds/domain';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { positionHeaders } from '../../http/log-position';
import { ScopePipe, TenantPipe } from '../../http/params';
import { CurrentWrite, WriteContext } from '../../http/request-context';
import { DefineAttributesCommand } from './define-attributes.command';

/** SPEC §6: one attribute object or an array of them; all are defined or none. */
@Controller('t/:org/cds/api/v1/profile-schema')
export class DefineAttributesController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':scope')
  @RequireScopes(SCOPES.schemaManage)
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
