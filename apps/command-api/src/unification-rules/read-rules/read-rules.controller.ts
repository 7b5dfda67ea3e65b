import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { TenantPipe } from '../../http/params';
import { ReadRulesQuery } from './read-rules.query';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ref } from '../../observability/openapi/schemas';

@Controller('t/:org/cds/api/v1/unification-rules')
export class ReadRulesController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Every rule, highest priority (1) first. */
  @Get()
  @RequireScopes(SCOPES.rulesView)
  @ApiOperation({ summary: 'List the rules' })
  @ApiOkResponse({ description: 'Every rule, highest priority (1) first.', schema: { type: 'array', items: ref('schemas', 'UnificationRule') } })
  all(@Param('org', TenantPipe) org: string) {
    return this.queryBus.execute(new ReadRulesQuery(org));
  }

  @Get(':ruleId')
  @RequireScopes(SCOPES.rulesView)
  @ApiOperation({ summary: 'Read one rule' })
  @ApiOkResponse({ description: 'The rule.', schema: ref('schemas', 'UnificationRule') })
  one(@Param('org', TenantPipe) org: string, @Param('ruleId') ruleId: string) {
    return this.queryBus.execute(new ReadRulesQuery(org, ruleId));
  }
}
