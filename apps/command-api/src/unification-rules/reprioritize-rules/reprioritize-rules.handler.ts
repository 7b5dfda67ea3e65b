import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, Clock, RulesService } from '@cds/application';
import { rulesByPriority } from '@cds/domain';
import { ReprioritizeRulesCommand } from './reprioritize-rules.command';

/** One event for the whole new order, so no merge attempt ever sees half of it. */
@CommandHandler(ReprioritizeRulesCommand)
export class ReprioritizeRulesHandler implements ICommandHandler<ReprioritizeRulesCommand> {
  constructor(
    @Inject(RulesService) private readonly rules: RulesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ tenant, priorities, write }: ReprioritizeRulesCommand) {
    const { state, position } = await this.rules.execute(
      tenant,
      { type: 'ReprioritizeRules', priorities, at: this.clock.now().toISOString() },
      write.correlationId,
    );
    return { rules: rulesByPriority(state), position };
  }
}
