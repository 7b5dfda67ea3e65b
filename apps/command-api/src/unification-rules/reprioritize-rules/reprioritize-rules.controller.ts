import { Body, Controller, Param, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { positionHeaders } from '../../http/log-position';
import { TenantPipe } from '../../http/params';
import { CurrentWrite, WriteContext } from '../../http/request-context';
import { ReprioritizeRulesCommand } from './reprioritize-rules.command';
import { ReprioritizeRulesDto } from './reprioritize-rules.dto';
import { ApiBody, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ref } from '../../observability/openapi/schemas';

/** 200 with every rule in its new order. */
@Controller('t/:org/cds/api/v1/unification-rules/priorities')
export class ReprioritizeRulesController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put()
  @RequireScopes(SCOPES.rulesManage)
  @ApiOperation({ summary: 'Reorder the rules', description: '`{priorities: [{rule_id, priority}, …]}` naming every rule once.' })
  @ApiBody({ schema: ref('schemas', 'RulePriorities') })
  @ApiOkResponse({ description: 'Every rule in its new order.', schema: { type: 'array', items: ref('schemas', 'UnificationRule') } })
  async reprioritize(
    @Param('org', TenantPipe) org: string,
    @Body() body: ReprioritizeRulesDto,
    @CurrentWrite() write: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { rules, position } = await this.commandBus.execute(new ReprioritizeRulesCommand(org, body?.priorities, write));
    reply.headers(positionHeaders(position));
    return rules;
  }
}
