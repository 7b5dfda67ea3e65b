import { Module } from '@nestjs/common';
import { AddRuleController } from './add-rule/add-rule.controller';
import { AddRuleHandler } from './add-rule/add-rule.handler';
import { ChangeRuleController } from './change-rule/change-rule.controller';
import { ChangeRuleHandler } from './change-rule/change-rule.handler';
import { ReadRulesController } from './read-rules/read-rules.controller';
import { ReadRulesHandler } from './read-rules/read-rules.handler';
import { RemoveRuleController } from './remove-rule/remove-rule.controller';
import { RemoveRuleHandler } from './remove-rule/remove-rule.handler';
import { ReprioritizeRulesController } from './reprioritize-rules/reprioritize-rules.controller';
import { ReprioritizeRulesHandler } from './reprioritize-rules/reprioritize-rules.handler';

@Module({
  // Priorities is registered before the :ruleId routes so that /priorities is never read as an id.
  controllers: [ReprioritizeRulesController, AddRuleController, ReadRulesController, ChangeRuleController, RemoveRuleController],
  providers: [AddRuleHandler, ReadRulesHandler, ChangeRuleHandler, RemoveRuleHandler, ReprioritizeRulesHandler],
})
export class UnificationRulesModule {}
