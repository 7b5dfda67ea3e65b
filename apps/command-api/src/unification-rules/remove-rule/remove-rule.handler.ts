import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock, RulesService } from '@cds/application';
import { RemoveRuleCommand } from './remove-rule.command';

/** Later merge attempts no longer use the rule; merges it caused stay merged. */
@CommandHandler(RemoveRuleCommand)
export class RemoveRuleHandler implements ICommandHandler<RemoveRuleCommand> {
  constructor(
    @Inject(RulesService) private readonly rules: RulesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ tenant, ruleId, write }: RemoveRuleCommand) {
    const { position } = await this.rules.execute(
      tenant,
      { type: 'RemoveRule', ruleId, at: this.clock.now().toISOString() },
      write.correlationId,
    );
    return { position };
  }
}
