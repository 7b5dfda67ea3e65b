import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RequireScopes } from '../../auth/auth.decorators';
import { SCOPES } from '../../auth/scopes';
import { TenantPipe } from '../../http/params';
import { ReadRulesQuery } from './read-rules.query';

@Controller('t/:org/cds/api/v1/unification-rules')
export class ReadRulesController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Every rule, highest priority (1) first. */
  @Get()
  @RequireScopes(SCOPES.rulesView)
  all(@Param('org', TenantPipe) org: string) {
    return this.queryBus.execute(new ReadRulesQuery(org));
  }

  @Get(':ruleId')
  @RequireScopes(SCOPES.rulesView)
  one(@Param('org', TenantPipe) org: string, @Param('ruleId') ruleId: string) {
    return this.queryBus.execute(new ReadRulesQuery(org, ruleId));
  }
}
