import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { CLOCK, Clock, RulesService } from '@cds/application';
import { AddRuleCommand } from './add-rule.command';

const RULE_ID_NAMESPACE = '8e4a2f6c-1d3b-4a5e-9c7f-0b2d4e6f8a1c';

@CommandHandler(AddRuleCommand)
export class AddRuleHandler implements ICommandHandler<AddRuleCommand> {
  constructor(
    @Inject(RulesService) private readonly rules: RulesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ tenant, input, write }: AddRuleCommand) {
    // The id derives from the request, so a retried addition (same Idempotency-Key) is recognised.
    const ruleId = uuidv5(`${tenant}/${write.idempotencyKey ?? randomUUID()}`, RULE_ID_NAMESPACE);
    const { state, position } = await this.rules.execute(
      tenant,
      { type: 'AddRule', ruleId, input, at: this.clock.now().toISOString() },
      write.correlationId,
    );
    return { rule: state.byId.get(ruleId)!, position };
  }
}
