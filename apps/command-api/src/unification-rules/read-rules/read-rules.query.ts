import { Query } from '@nestjs/cqrs';
import { UnificationRule } from '@cds/domain';

/** Every rule by priority, or one rule. */
export class ReadRulesQuery extends Query<UnificationRule[] | UnificationRule> {
  constructor(readonly tenant: string, readonly ruleId?: string) {
    super();
  }
}
