import { Body, Controller, Param, Patch, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { positionHeaders } from '../../http/log-position';
import { TenantPipe } from '../../http/params';
import { CurrentWrite, WriteContext } from '../../http/request-context';
import { ChangeRuleCommand } from './change-rule.command';
import { ChangeRuleDto } from './change-rule.dto';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ref } from '../../observability/openapi/schemas';

@Controller('t/:org/cds/api/v1/unification-rules')
export class ChangeRuleController {
  constructor(private readonly commandBus: CommandBus) {}

  @Patch(':ruleId')
  @RequireScopes(SCOPES.rulesManage)
  @ApiOperation({ summary: 'Change a rule', description: '`property_name` is fixed: it may be sent, but only with the value it has.' })
  @ApiOkResponse({ description: 'The rule as changed.', schema: ref('schemas', 'UnificationRule') })
  async change(
    @Param('org', TenantPipe) org: string,
    @Param('ruleId') ruleId: string,
    @Body() body: ChangeRuleDto,
    @CurrentWrite() write: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { rule, position } = await this.commandBus.execute(new ChangeRuleCommand(org, ruleId, body ?? {}, write));
    reply.headers(positionHeaders(position));
    return rule;
  }
}
