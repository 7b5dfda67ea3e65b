import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock, RulesService } from '@cds/application';
import { ChangeRuleCommand } from './change-rule.command';

/** A changed rule applies to merge attempts from this point of the log on. */
@CommandHandler(ChangeRuleCommand)
export class ChangeRuleHandler implements ICommandHandler<ChangeRuleCommand> {
  constructor(
    @Inject(RulesService) private readonly rules: RulesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ tenant, ruleId, input, write }: ChangeRuleCommand) {
    const { state, position } = await this.rules.execute(
      tenant,
      { type: 'ChangeRule', ruleId, input, at: this.clock.now().toISOString() },
      write.correlationId,
    );
    return { rule: state.byId.get(ruleId)!, position };
  }
}
