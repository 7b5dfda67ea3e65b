import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { RulesService } from '@cds/application';
import { notFound, rulesByPriority } from '@cds/domain';
import { ReadRulesQuery } from './read-rules.query';

/** Served from the rules stream itself: a rule is read right after it is written. */
@QueryHandler(ReadRulesQuery)
export class ReadRulesHandler implements IQueryHandler<ReadRulesQuery> {
  constructor(@Inject(RulesService) private readonly rules: RulesService) {}

  async execute({ tenant, ruleId }: ReadRulesQuery) {
    const state = await this.rules.current(tenant);
    if (ruleId === undefined) return rulesByPriority(state);
    const rule = state.byId.get(ruleId);
    if (!rule) throw notFound('rule_not_found', `No unification rule ${ruleId}`);
    return rule;
  }
}
