import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { positionHeaders } from '../../http/log-position';
import { TenantPipe } from '../../http/params';
import { CurrentWrite, WriteContext } from '../../http/request-context';
import { AddRuleCommand } from './add-rule.command';
import { AddRuleDto } from './add-rule.dto';
import { ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { ref } from '../../observability/openapi/schemas';
import { linksTo } from '../../observability/openapi/links';

/** SPEC §6: 201 with the rule and the rule_id it was given. */
@Controller('t/:org/cds/api/v1/unification-rules')
export class AddRuleController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @RequireScopes(SCOPES.rulesManage)
  @ApiOperation({ summary: 'Add an identity resolution rule', description: 'Without a priority the rule goes to the end of the list.' })
  @ApiCreatedResponse({
    description: 'The rule with its `rule_id`.',
    schema: ref('schemas', 'UnificationRule'),
    links: linksTo({ ruleId: '$response.body#/rule_id' }, 'ReadRulesController_one', 'ChangeRuleController_change', 'RemoveRuleController_remove'),
  })
  async add(
    @Param('org', TenantPipe) org: string,
    @Body() body: AddRuleDto,
    @CurrentWrite() write: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { rule, position } = await this.commandBus.execute(new AddRuleCommand(org, body, write));
    reply.status(201).headers(positionHeaders(position));
    return rule;
  }
}
